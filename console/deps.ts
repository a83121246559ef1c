/** What the admin console needs, wired by server/wiring/http.ts. */
import type { Renderer } from '../server/shared/rendering.js';

export interface ConsoleOptions {
  issuer: string;
  /** Where this server reaches itself (CONSOLE_API_URL, default ISSUER): token endpoint and admin API. */
  apiUrl: string;
  /** The built-in first-party client the console signs in with (`admin-console`). */
  clientId: string;
  /** The admin API's audience (ADMIN_API_AUDIENCE). */
  audience: string;
  /** CONSOLE_MFA_REQUIRED: the sign-in must carry this acr (a second factor). */
  mfaAcr: string | undefined;
}

export interface ConsoleDeps {
  renderer: Renderer;
  options: ConsoleOptions;
  /** The HTTP client the console calls the provider with (global fetch; tests may pass another). */
  fetch?: typeof fetch;
}

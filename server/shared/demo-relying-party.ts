/** The built-in demo sign-in's relying party (adapters/demo), as the start page (server/http/routes/home.ts) uses it. */
/** What the demo client's callback needs to finish the flow it started. */
export interface PendingDemo {
  state: string;
  nonce: string;
  verifier: string;
}

export type DemoOutcome =
  | { ok: true; tokens: Record<string, unknown>; idTokenClaims: Record<string, unknown> | undefined; accessTokenClaims: Record<string, unknown> | undefined; userinfo: Record<string, unknown> | undefined }
  | { ok: false; error: string; description: string | undefined };

/** The demo relying party: a real OpenID Connect client of this provider (adapters/demo). */
export interface DemoRelyingParty {
  clientId: string;
  start(): Promise<{ url: string; pending: PendingDemo }>;
  finish(callback: URL, pending: PendingDemo): Promise<DemoOutcome>;
}

/**
 * The effective configuration as an administrator may read it (the console's Settings screen,
 * GET /admin/v1/settings): every leaf of the loaded Config by its path, secrets redacted. A
 * string (or list of strings) whose path names a secret, password, token, key, credential or
 * auth value is never shown, only that it is set; a URL keeps its host but loses its password.
 * Numbers and booleans are never secret (ttl.accessToken is a lifetime, not a token).
 */
import type { Config } from './config.js';

export interface EffectiveSetting {
  name: string;
  value: string | number | boolean | null;
  redacted: boolean;
}

const SECRET_PATH = /secret|password|passwd|token|key|credential|auth|signature|dsn/i;

function withoutPassword(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(text)) return text;
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '***';
  }
}

export function effectiveSettings(config: Config): EffectiveSetting[] {
  const out: EffectiveSetting[] = [];
  const walk = (path: string, value: unknown): void => {
    if (value === undefined || typeof value === 'function') return;
    if (value === null || typeof value === 'number' || typeof value === 'boolean') {
      out.push({ name: path, value, redacted: false });
      return;
    }
    if (typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
      const secret = SECRET_PATH.test(path);
      const text = Array.isArray(value) ? value.map(withoutPassword).join(', ') : withoutPassword(value);
      out.push(secret ? { name: path, value: value.length ? '(set)' : '', redacted: true } : { name: path, value: text, redacted: false });
      return;
    }
    if (Array.isArray(value)) return value.forEach((item, i) => walk(`${path}[${i}]`, item));
    if (value instanceof Date) return void out.push({ name: path, value: value.toISOString(), redacted: false });
    if (typeof value === 'object') for (const [key, inner] of Object.entries(value)) walk(path ? `${path}.${key}` : key, inner);
  };
  walk('', config);
  return out.filter((s) => s.name !== 'warnings' && !s.name.startsWith('warnings['));
}

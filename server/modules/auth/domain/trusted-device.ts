/**
 * "Trust this device": after a full MFA sign-in the browser gets a signed cookie naming a device
 * record; while that record is live (not expired, not revoked, same user) the second factor is
 * skipped unless the client asks for step-up. The record, not the cookie, is the authority, so
 * revoking it (from /account or by an admin) takes effect at the next sign-in.
 */
export interface TrustedDevice {
  id: string;
  userId: string;
  /** A label for the account page (the browser's user agent, shortened). */
  label: string;
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export function isDeviceTrusted(device: TrustedDevice | undefined, userId: string, now: number): boolean {
  return !!device && device.userId === userId && device.revokedAt === null && now < device.expiresAt;
}

/** A short, non-identifying label from a User-Agent header. */
export function deviceLabel(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /Windows/.test(ua) ? 'Windows' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} on ${os}` : browser;
}

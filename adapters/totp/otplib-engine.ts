/** RFC 6238 TOTP through otplib v13 (SHA-1, 6 digits, 30 s: what every authenticator app reads). */
import { generateSecret, generateURI, verify } from 'otplib';
import type { TotpEngine } from '../../server/modules/auth/index.js';
import { TOTP_DIGITS, TOTP_PERIOD_SECONDS } from '../../server/modules/auth/index.js';

export const otplibTotpEngine: TotpEngine = {
  generateSecret: () => generateSecret(),
  async matchStep(secret, code, nowMs, driftSteps) {
    if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code)) return undefined;
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(nowMs / 1000),
      period: TOTP_PERIOD_SECONDS,
      digits: TOTP_DIGITS,
      epochTolerance: driftSteps * TOTP_PERIOD_SECONDS,
    });
    // Strategy 'totp' always answers with the matched step; the union type also covers HOTP.
    return result.valid && 'timeStep' in result ? result.timeStep : undefined;
  },
  keyUri: (secret, accountName, issuer) => generateURI({ secret, label: accountName, issuer, period: TOTP_PERIOD_SECONDS, digits: TOTP_DIGITS }),
};

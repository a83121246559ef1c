/**
 * A relying party's back-channel logout endpoint (OIDC Back-Channel Logout 1.0 §2.5): records each
 * POSTed form and answers with scripted statuses (default 200). `verify` checks a logout token as
 * §2.6 asks, with jose against the provider's published keys.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

export interface ReceivedLogout {
  path: string;
  contentType: string;
  form: URLSearchParams;
}

export interface LogoutReceiver {
  origin: string;
  received: ReceivedLogout[];
  script(...statuses: number[]): void;
  /** §2.6: signature, iss, aud, iat, typ logout+jwt, the logout event, sub or sid, no nonce. */
  verify(token: string, issuer: string, audience: string): Promise<JWTPayload>;
  close(): Promise<void>;
}

export async function startLogoutReceiver(): Promise<LogoutReceiver> {
  const received: ReceivedLogout[] = [];
  const statuses: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: String(req.headers['content-type']), form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(statuses.shift() ?? 200, { 'cache-control': 'no-store' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    script: (...next) => statuses.push(...next),
    async verify(token, issuer, audience) {
      if (!keySets.has(issuer)) keySets.set(issuer, createRemoteJWKSet(new URL(`${issuer}/jwks`)));
      const { payload, protectedHeader } = await jwtVerify(token, keySets.get(issuer)!, { issuer, audience, typ: 'logout+jwt', requiredClaims: ['iat', 'jti', 'events'] });
      if (protectedHeader.typ !== 'logout+jwt') throw new Error('typ is not logout+jwt');
      const events = payload.events as Record<string, unknown> | undefined;
      if (!events || typeof events['http://schemas.openid.net/event/backchannel-logout'] !== 'object') throw new Error('no back-channel logout event');
      if (!payload.sub && !payload.sid) throw new Error('neither sub nor sid');
      if ('nonce' in payload) throw new Error('a logout token must not carry a nonce');
      return payload;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

#!/usr/bin/env node
// A server-side web app signing people in with openid-client v6, as docs/connect-an-app.md shows
// it: authorization code flow with PKCE (S256), state and nonce, a confidential client. GET /
// sends the browser to the provider; GET /callback redeems the code, validates the ID token
// (openid-client checks issuer, audience, signature, expiry and nonce) and shows who signed in.
// Usage: ISSUER=… CLIENT_ID=… CLIENT_SECRET=… [PORT=8080] node docs/examples/web-app.mjs
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import * as client from 'openid-client';

const { ISSUER, CLIENT_ID, CLIENT_SECRET, PORT = '8080' } = process.env;
if (!ISSUER || !CLIENT_ID || !CLIENT_SECRET) {
  console.error('set ISSUER, CLIENT_ID and CLIENT_SECRET');
  process.exit(2);
}
const redirectUri = `http://localhost:${PORT}/callback`;
// Plain http only for a provider on this machine (npm start's http://localhost:3000).
const local = /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(ISSUER);
// The provider's clients authenticate with HTTP Basic unless registered otherwise
// (token_endpoint_auth_method); openid-client would default to client_secret_post.
const config = await client.discovery(new URL(ISSUER), CLIENT_ID, undefined, client.ClientSecretBasic(CLIENT_SECRET), local ? { execute: [client.allowInsecureRequests] } : undefined);

// Sign-ins in progress, by a random id kept in a cookie. A real app keeps this in its session store.
const pending = new Map();
// The OAuth error of a failed request: in the body, or (a 401, e.g. a wrong client secret) in
// the WWW-Authenticate challenge openid-client hands over as `cause`.
function reason(error) {
  const oauth = error.error ? error : error.cause?.[0]?.parameters;
  return oauth?.error ? `${oauth.error}${oauth.error_description ? ` (${oauth.error_description})` : ''}` : error.message;
}
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

createServer(async (req, res) => {
  const url = new URL(req.url, `http://localhost:${PORT}`);
  try {
    if (url.pathname === '/') {
      const id = randomUUID();
      const verifier = client.randomPKCECodeVerifier();
      const attempt = { verifier, state: client.randomState(), nonce: client.randomNonce() };
      pending.set(id, attempt);
      const to = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid profile email',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: attempt.state,
        nonce: attempt.nonce,
      });
      res.writeHead(302, { location: to.href, 'set-cookie': `signin=${id}; HttpOnly; SameSite=Lax; Path=/callback` });
      return res.end();
    }
    if (url.pathname === '/callback') {
      const id = /(?:^|;\s*)signin=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
      const attempt = id && pending.get(id);
      if (!attempt) throw new Error('no sign-in in progress in this browser');
      pending.delete(id);
      const tokens = await client.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: attempt.verifier,
        expectedState: attempt.state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      const profile = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      console.log(`Signed in as ${claims.sub} (${profile.email ?? 'no email'})`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<!doctype html><title>Signed in</title><h1>Signed in as ${escape(profile.name ?? claims.sub)}</h1><p>Email: ${escape(profile.email ?? '—')}</p>`);
    }
    res.writeHead(404).end();
  } catch (error) {
    console.error(`Sign-in failed: ${reason(error)}`);
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`Sign-in failed: ${reason(error)}`);
  }
}).listen(Number(PORT), 'localhost', () => console.log(`Open http://localhost:${PORT}/ to sign in`));

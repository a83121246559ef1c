#!/usr/bin/env node
// A command-line program signing in with the device authorization grant (RFC 8628), as
// docs/device-flow.md shows it: openid-client asks for a user code, prints it with the
// verification URI and a QR code of verification_uri_complete, polls until the user approved
// in a browser, and prints who signed in. Usage: device-login.mjs ISSUER CLIENT_ID [SCOPE]
import * as client from 'openid-client';
import QRCode from 'qrcode';

const [issuer, clientId, scope = 'openid profile'] = process.argv.slice(2);
if (!issuer || !clientId) {
  console.error('usage: device-login.mjs ISSUER CLIENT_ID [SCOPE]');
  process.exit(2);
}
// Plain http only for a local provider (http://localhost, http://127.0.0.1).
const local = /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(issuer);
const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(), local ? { execute: [client.allowInsecureRequests] } : undefined);

try {
  const authorization = await client.initiateDeviceAuthorization(config, { scope });
  console.log(`To sign in, open ${authorization.verification_uri} and enter the code ${authorization.user_code}`);
  console.log('or scan this code with your phone:');
  console.log(await QRCode.toString(authorization.verification_uri_complete, { type: 'terminal', small: true }));
  // Waits `interval` seconds between polls and backs off on slow_down, as RFC 8628 §3.5 asks.
  const tokens = await client.pollDeviceAuthorizationGrant(config, authorization);
  const claims = tokens.claims();
  console.log(`Signed in as ${claims?.sub}${tokens.refresh_token ? ' (with a refresh token)' : ''}.`);
} catch (error) {
  console.error(`Sign-in failed: ${error.error ?? error.message}`);
  process.exit(1);
}

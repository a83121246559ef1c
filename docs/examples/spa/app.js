// A browser single-page app signing people in with oauth4webapi, as docs/connect-an-app.md shows
// it: authorization code flow with PKCE (S256) and state, a public client (no secret: a page
// cannot keep one). The verifier and state wait in sessionStorage while the browser visits the
// provider; back on the redirect URI the page redeems the code at the token endpoint (CORS
// allows the origins the client registered), validates the ID token and asks userinfo.
// Settings come from config.json beside the page: { issuer, client_id, redirect_uri }.
import * as oauth from './oauth4webapi.js';

const settings = await (await fetch('config.json')).json();
const issuer = new URL(settings.issuer);
// Plain http only for a provider on this machine (npm start's http://localhost:3000).
const http = { [oauth.allowInsecureRequests]: issuer.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(issuer.hostname) };
const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, http));
const client = { client_id: settings.client_id };
const status = document.getElementById('status');
const button = document.getElementById('sign-in');

async function signIn() {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem('signin', JSON.stringify({ verifier, state }));
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: settings.redirect_uri,
    response_type: 'code',
    scope: 'openid profile email',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  }).toString();
  location.assign(url);
}

async function finishSignIn(here) {
  const pending = JSON.parse(sessionStorage.getItem('signin') ?? 'null');
  sessionStorage.removeItem('signin');
  if (!pending) throw new Error('no sign-in in progress in this tab');
  const params = oauth.validateAuthResponse(as, client, here, pending.state);
  // Take the code out of the address bar and the history.
  history.replaceState(null, '', settings.redirect_uri);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, settings.redirect_uri, pending.verifier, http);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { requireIdToken: true });
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  const profile = await oauth.processUserInfoResponse(as, client, claims.sub, await oauth.userInfoRequest(as, client, tokens.access_token, http));
  // Keep the access token in memory only (not localStorage) for calls to your API.
  status.textContent = `Signed in as ${profile.name ?? claims.sub} (${profile.email ?? 'no email'})`;
}

button.addEventListener('click', () => signIn().catch(show));
const show = (error) => {
  status.textContent = `Sign-in failed: ${error.error ?? error.message}`;
  button.hidden = false;
};
const here = new URL(location.href);
if (here.searchParams.has('code') || here.searchParams.has('error')) {
  finishSignIn(here).catch(show);
} else {
  status.textContent = 'Not signed in.';
  button.hidden = false;
}

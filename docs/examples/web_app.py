#!/usr/bin/env python3
"""A server-side web app signing people in with Authlib, as docs/connect-an-app.md shows it:
authorization code flow with PKCE (S256), state and nonce, a confidential client. GET / sends the
browser to the provider; GET /callback redeems the code, validates the ID token (issuer,
audience, signature against the provider's JWKS, expiry, nonce) and shows who signed in.
Usage: ISSUER=... CLIENT_ID=... CLIENT_SECRET=... [PORT=8081] python3 docs/examples/web_app.py
Needs Authlib and requests (Debian: apt-get install python3-authlib python3-requests).
"""
import html
import os
import secrets
import sys
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, HTTPServer

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt

ISSUER = os.environ.get("ISSUER")
CLIENT_ID = os.environ.get("CLIENT_ID")
CLIENT_SECRET = os.environ.get("CLIENT_SECRET")
PORT = int(os.environ.get("PORT", "8081"))
if not (ISSUER and CLIENT_ID and CLIENT_SECRET):
    sys.exit("set ISSUER, CLIENT_ID and CLIENT_SECRET")
REDIRECT_URI = f"http://localhost:{PORT}/callback"

metadata = requests.get(f"{ISSUER}/.well-known/openid-configuration", timeout=10).json()
if metadata["issuer"] != ISSUER:
    sys.exit(f"discovery names issuer {metadata['issuer']}, not {ISSUER}")

# Sign-ins in progress, by a random id kept in a cookie. A real app keeps this in its session store.
pending = {}


def session():
    return OAuth2Session(CLIENT_ID, CLIENT_SECRET, scope="openid profile email",
                         redirect_uri=REDIRECT_URI, code_challenge_method="S256")


def id_token_claims(id_token, nonce):
    keys = JsonWebKey.import_key_set(requests.get(metadata["jwks_uri"], timeout=10).json())
    claims = jwt.decode(id_token, keys, claims_options={
        "iss": {"essential": True, "value": ISSUER},
        "aud": {"essential": True, "value": CLIENT_ID},
        "nonce": {"essential": True, "value": nonce},
    })
    claims.validate()  # exp, iat, and the options above
    return claims


class App(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/":
            verifier = generate_token(48)
            state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
            url, _ = session().create_authorization_url(
                metadata["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier)
            sign_in = secrets.token_urlsafe(16)
            pending[sign_in] = {"verifier": verifier, "state": state, "nonce": nonce}
            self.send_response(302)
            self.send_header("Location", url)
            self.send_header("Set-Cookie", f"signin={sign_in}; HttpOnly; SameSite=Lax; Path=/callback")
            self.end_headers()
        elif self.path.startswith("/callback"):
            try:
                cookie = SimpleCookie(self.headers.get("Cookie", ""))
                attempt = pending.pop(cookie["signin"].value if "signin" in cookie else "", None)
                if attempt is None:
                    raise ValueError("no sign-in in progress in this browser")
                oauth = session()
                oauth.state = attempt["state"]  # fetch_token refuses a callback with another state
                token = oauth.fetch_token(metadata["token_endpoint"],
                                          authorization_response=f"http://localhost:{PORT}{self.path}",
                                          code_verifier=attempt["verifier"])
                claims = id_token_claims(token["id_token"], attempt["nonce"])
                profile = oauth.get(metadata["userinfo_endpoint"]).json()
                print(f"Signed in as {claims['sub']} ({profile.get('email', 'no email')})", flush=True)
                self.answer(200, f"<!doctype html><title>Signed in</title><h1>Signed in as "
                                 f"{html.escape(profile.get('name', claims['sub']))}</h1>"
                                 f"<p>Email: {html.escape(profile.get('email', '—'))}</p>")
            except Exception as error:  # shown to the person, and logged
                print(f"Sign-in failed: {error}", file=sys.stderr, flush=True)
                self.answer(400, f"Sign-in failed: {html.escape(str(error))}")
        else:
            self.answer(404, "not found")

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


print(f"Open http://localhost:{PORT}/ to sign in", flush=True)
HTTPServer(("localhost", PORT), App).serve_forever()

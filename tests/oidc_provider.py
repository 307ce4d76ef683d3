"""A small OpenID Connect provider for the tests, served over real HTTP on loopback.

It implements what the app's sign-in uses: the authorization endpoint of the code flow (it
"signs in" whoever the test chose and redirects back at once), the token endpoint with client
secret and PKCE (S256) checks, userinfo, and the JWKS with one RSA key. ID tokens are RS256
JWTs. A test may make it misbehave: another audience, a foreign signing key, no `amr`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "ssp-test-client"
CLIENT_SECRET = "ssp-test-secret"
KEY_ID = "test-key-1"


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Provider:
    """What the provider does on the next sign-in, and what it has seen."""

    base_url: str = ""
    email: str = ""
    amr: list[str] = field(default_factory=lambda: ["pwd", "mfa"])
    audience: str = CLIENT_ID
    issuer: str = ""  # the base URL unless a test sets another
    email_verified: bool | None = True
    userinfo_subject: str | None = None  # another subject than the ID token's
    signing_key: rsa.RSAPrivateKey = field(default_factory=_new_key)
    published_key: rsa.RSAPrivateKey | None = None
    token_requests: int = 0
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def endpoint(self, name: str) -> str:
        return f"{self.base_url}/{name}"

    def settings(self) -> dict[str, Any]:
        return {
            "OIDC_ENABLED": True,
            "OIDC_PROVIDER_NAME": "Testkommunens login",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.endpoint("authorize"),
            "OIDC_OP_TOKEN_ENDPOINT": self.endpoint("token"),
            "OIDC_OP_USER_ENDPOINT": self.endpoint("userinfo"),
            "OIDC_OP_JWKS_ENDPOINT": self.endpoint("jwks"),
            "OIDC_OP_ISSUER": self.base_url,
        }

    @staticmethod
    def subject(email: str) -> str:
        return hashlib.sha256(email.encode()).hexdigest()[:16]

    def _id_token(self, grant: dict[str, Any]) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer or self.base_url,
            "sub": self.subject(grant["email"]),
            "aud": self.audience,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            "email": grant["email"],
        }
        if grant["amr"]:
            claims["amr"] = grant["amr"]
        return jwt.encode(claims, self.signing_key, algorithm="RS256", headers={"kid": KEY_ID})

    def jwks(self) -> dict[str, Any]:
        key = (self.published_key or self.signing_key).public_key()
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key))
        return {"keys": [{**jwk, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            if url.path == "/authorize":
                self._authorize(query)
            elif url.path == "/jwks":
                self._json(200, provider.jwks())
            elif url.path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                email = provider.tokens.get(token)
                if email is None:
                    self._json(401, {"error": "invalid_token"})
                else:
                    claims = {"sub": provider.userinfo_subject or provider.subject(email)}
                    claims["email"] = email
                    if provider.email_verified is not None:
                        claims["email_verified"] = provider.email_verified
                    self._json(200, claims)
            else:
                self._json(404, {"error": "not_found"})

        def _authorize(self, query: dict[str, str]) -> None:
            if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                self._json(400, {"error": "invalid_request"})
                return
            code = secrets.token_urlsafe(16)
            provider.codes[code] = {
                "email": provider.email,
                "amr": list(provider.amr),
                "nonce": query.get("nonce"),
                "redirect_uri": query["redirect_uri"],
                "challenge": query.get("code_challenge"),
            }
            target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/token":
                self._json(404, {"error": "not_found"})
                return
            provider.token_requests += 1
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            grant = provider.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if (
                form.get("client_id") != CLIENT_ID
                or form.get("client_secret") != CLIENT_SECRET
                or grant is None
                or grant["redirect_uri"] != form.get("redirect_uri")
                or grant["challenge"] != challenge
            ):
                self._json(400, {"error": "invalid_grant"})
                return
            access_token = secrets.token_urlsafe(16)
            provider.tokens[access_token] = grant["email"]
            self._json(
                200,
                {
                    "access_token": access_token,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": provider._id_token(grant),
                },
            )

    return Handler


@contextmanager
def running_provider() -> Iterator[Provider]:
    provider = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()

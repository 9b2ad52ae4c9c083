"""A small OpenID Connect provider for the tests: a real HTTP server on 127.0.0.1.

It plays iAM Smart's part: discovery document, an authorisation endpoint that approves the
configured test user at once and redirects back with ``code`` and ``state``, a token endpoint
that checks the client, the one-time code, the redirect URI and PKCE, and answers with an ID
token signed RS256 by a key generated at start, a userinfo endpoint and the JWKS.

The subject is pairwise, as iAM Smart's is: derived from the user and the client id, so two
relying parties never see the same ``sub``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


@dataclass
class ProviderIdentity:
    user_key: str = "hk-resident-1"
    email: str = "chan.taiman@example.com"
    email_verified: bool = True
    name: str = "CHAN Tai Man"


@dataclass
class IssuedCode:
    client_id: str
    redirect_uri: str
    identity: ProviderIdentity
    nonce: str | None
    code_challenge: str | None


@dataclass
class LocalOpenIDProvider:
    client_id: str = "tongban-test"
    client_secret: str = "test-secret-not-for-production"
    identity: ProviderIdentity = field(default_factory=ProviderIdentity)
    codes: dict[str, IssuedCode] = field(default_factory=dict)
    access_tokens: dict[str, ProviderIdentity] = field(default_factory=dict)
    token_requests: int = 0

    def __post_init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LocalOpenIDProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def pairwise_subject(self, identity: ProviderIdentity, client_id: str) -> str:
        digest = hashlib.sha256(f"{identity.user_key}|{client_id}".encode()).hexdigest()
        return digest[:32]

    # --- what the endpoints answer ---------------------------------------------------------
    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return {"keys": [jwk]}

    def claims(self, identity: ProviderIdentity, client_id: str) -> dict:
        return {
            "sub": self.pairwise_subject(identity, client_id),
            "email": identity.email,
            "email_verified": identity.email_verified,
            "name": identity.name,
        }

    def authorize(self, query: dict) -> tuple[int, dict]:
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {"error": "invalid_request"}
        code = secrets.token_urlsafe(24)
        self.codes[code] = IssuedCode(
            client_id=self.client_id,
            redirect_uri=query["redirect_uri"],
            identity=self.identity,
            nonce=query.get("nonce"),
            code_challenge=query.get("code_challenge"),
        )
        params = {"code": code, "state": query.get("state", "")}
        return 302, {"Location": f"{query['redirect_uri']}?{urlencode(params)}"}

    def token(self, form: dict, authorization: str | None) -> tuple[int, dict]:
        self.token_requests += 1
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            client_id, _, client_secret = (
                base64.b64decode(authorization[6:]).decode().partition(":")
            )
        if client_id != self.client_id or client_secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        issued = self.codes.pop(form.get("code", ""), None)  # a code works once
        if issued is None or issued.redirect_uri != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        if issued.code_challenge:
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if challenge != issued.code_challenge:
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = issued.identity
        now = int(time.time())
        id_claims = self.claims(issued.identity, client_id) | {
            "iss": self.issuer,
            "aud": client_id,
            "iat": now,
            "exp": now + 300,
            "jti": secrets.token_hex(8),
        }
        if issued.nonce:
            id_claims["nonce"] = issued.nonce
        id_token = jwt.encode(id_claims, self.key, algorithm="RS256", headers={"kid": self.kid})
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def userinfo(self, authorization: str | None) -> tuple[int, dict]:
        token = (authorization or "").removeprefix("Bearer ")
        identity = self.access_tokens.get(token)
        if identity is None:
            return 401, {"error": "invalid_token"}
        return 200, self.claims(identity, self.client_id)


def _handler_for(provider: LocalOpenIDProvider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def _send(self, status: int, body: dict) -> None:
            if status == 302:
                self.send_response(302)
                self.send_header("Location", body["Location"])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self):
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            auth = self.headers.get("Authorization")
            routes = {
                "/.well-known/openid-configuration": lambda: (200, provider.discovery()),
                "/jwks": lambda: (200, provider.jwks()),
                "/authorize": lambda: provider.authorize(query),
                "/userinfo": lambda: provider.userinfo(auth),
            }
            route = routes.get(url.path)
            self._send(*(route() if route else (404, {"error": "not_found"})))

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/token":
                self._send(*provider.token(form, self.headers.get("Authorization")))
            else:
                self._send(404, {"error": "not_found"})

    return Handler

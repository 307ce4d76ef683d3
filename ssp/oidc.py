"""Sign-in through an OpenID Connect identity provider (mozilla-django-oidc).

Only an existing, active account signs in, matched case-insensitively on an email address the
provider vouches for: the municipality's administrators create accounts and give roles, the
provider only proves who is at the keyboard. The ID token must come from the configured
issuer, for this client; the email must be verified by the provider (`email_verified`) or lie
in one of the organisation's own domains (`OIDC_EMAIL_DOMAINS`, for providers such as Entra
ID that send no `email_verified`).
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ssp.models import User

logger = logging.getLogger(__name__)


def provider_proved_second_factor(id_token_claims: dict[str, Any]) -> bool:
    """Whether the ID token says the provider itself checked more than one factor (`amr`,
    RFC 8176: Entra ID sends "mfa"). Anything else leads on to the app's own second step."""
    methods = id_token_claims.get("amr") or []
    if isinstance(methods, str):
        methods = [methods]
    return bool(set(methods) & set(settings.OIDC_MFA_AMR_VALUES))


def _email_vouched_for(claims: dict[str, Any]) -> bool:
    email = (claims.get("email") or "").strip().lower()
    if not email:
        return False
    if claims.get("email_verified") is True:
        return True
    domain = email.rpartition("@")[2]
    return domain in {allowed.lower() for allowed in settings.OIDC_EMAIL_DOMAINS}


class OIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        """Only the callback view signs in through the provider (it passes the nonce and PKCE
        verifier it kept). A password form must never reach the provider: a `?code=&state=`
        on it would skip state, nonce and PKCE, and a provider error would hide the failed
        password from the lockout."""
        if "username" in kwargs or "password" in kwargs or not kwargs.get("nonce"):
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, jwt.PyJWTError, KeyError, ValueError) as error:
            # Unreachable, or an answer that does not parse or verify: nobody is signed in.
            logger.warning("OpenID Connect sign-in failed: %s", error)
            return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """mozilla-django-oidc checks the signature, expiry and nonce, but not who issued the
        token and for whom: a token the provider (or another tenant behind the same keys)
        issued to another application must not sign anyone in here."""
        payload = super().verify_token(token, **kwargs)
        if payload.get("iss") != settings.OIDC_OP_ISSUER:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued to another client.")
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("The ID token was authorised for another client.")
        return payload

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        if not _email_vouched_for(claims):
            return User.objects.none()
        return User.objects.filter(email__iexact=claims["email"].strip(), is_active=True)

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        claims = super().get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            # OpenID Connect Core 5.3.2: userinfo about someone else must not be used.
            raise SuspiciousOperation("The userinfo answer is about another subject.")
        return claims

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None:
            # Read by ssp.views.oidc.CallbackView, on this same request.
            user.oidc_second_factor = provider_proved_second_factor(payload)
        return user

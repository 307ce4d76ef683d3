"""Sign-in through an OpenID Connect identity provider (mozilla-django-oidc).

Only an existing, active account signs in, matched case-insensitively on the email address
the provider vouches for: the municipality's administrators create accounts and give roles,
the provider only proves who is at the keyboard.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ssp.models import User


def provider_proved_second_factor(id_token_claims: dict[str, Any]) -> bool:
    """Whether the ID token says the provider itself checked more than one factor (`amr`,
    RFC 8176: Entra ID sends "mfa"). Anything else leads on to the app's own second step."""
    methods = id_token_claims.get("amr") or []
    if isinstance(methods, str):
        methods = [methods]
    return bool(set(methods) & set(settings.OIDC_MFA_AMR_VALUES))


class OIDCBackend(OIDCAuthenticationBackend):
    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """mozilla-django-oidc checks the signature, expiry and nonce but not the audience: a
        token the same provider issued to another application must not sign anyone in here."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued to another client.")
        return payload

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None:
            # Read by ssp.views.oidc.CallbackView, on this same request.
            user.oidc_second_factor = provider_proved_second_factor(payload)
        return user

"""Sign-in, sign-out, the lockout answer and keeping a session alive."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ssp.forms import LoginForm, SetPasswordForm
from ssp.services import login_lock_lift
from ssp.two_factor import authenticator_of, pending_login_start, second_factor_step_url


class LoginView(auth_views.LoginView):
    """The first step of signing in: email and password. A correct password leads on to the
    second factor (ssp.views.two_factor); it does not sign the user in by itself."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        user = form.get_user()
        next_url = self.get_redirect_url()
        pending_login_start(self.request, user=user, next_url=next_url)
        return redirect(second_factor_step_url(user))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME
        return context


def login_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The account django-axes counts a login attempt against: the email in lower case.

    Logins are case-insensitive, so "Navn@kommune.dk" and "navn@kommune.dk" are one account
    and must share one failure count, or changing the case would dodge the lockout.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    username = credentials.get(field) if credentials else request.POST.get(field)
    return username.strip().lower() if username else username


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this instead of signing in a locked account (HTTP 429)."""
    hours = int(settings.AXES_COOLOFF_TIME.total_seconds() // 3600)
    return render(
        request,
        "registration/locked_out.html",
        {"lockout_hours": hours, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password through the emailed link also lifts a login lock.

    The link proves the person controls the work mailbox, which is what the lock protects.
    """

    form_class = SetPasswordForm

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        login_lock_lift(user=form.user)
        if authenticator_of(form.user) is None:
            # An invitation, or a reset after a lost phone: the link proved the mailbox and
            # the password was just chosen here, so the app can be set up straight away.
            pending_login_start(self.request, user=form.user, email_proven=True)
            messages.success(self.request, _("Din adgangskode er gemt."))
            return redirect("two_factor_setup")
        return response


@login_required
@require_POST
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """ "Bliv logget ind" on the session warning: the request itself counts as activity."""
    return HttpResponse(status=204)


def admin_login(request: HttpRequest) -> HttpResponse:
    """Django admin's login page: the app's own two-step sign-in instead. Someone signed in
    who was sent here is not staff: the sign-in page would send them straight back."""
    if request.user.is_authenticated:
        raise PermissionDenied
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    query = urlencode({"next": target}) if target and safe else ""
    return redirect(f"{reverse('login')}?{query}" if query else reverse("login"))

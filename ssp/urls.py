from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ssp.forms import PasswordResetForm
from ssp.views import auth, errors, health, oidc, pages, passkeys, reminders, two_factor

admin.site.site_header = _("SSP-samarbejde – administration")
admin.site.site_title = _("SSP-samarbejde")

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

urlpatterns = [
    path("", include("home.urls")),
    path("log-ind/", auth.LoginView.as_view(), name="login"),
    path("log-ind/kode/", two_factor.verify, name="two_factor_verify"),
    path("log-ind/opsaet-app/", two_factor.setup, name="two_factor_setup"),
    path("log-ind/organisation/", oidc.authenticate, name="oidc_authentication_init"),
    path("log-ind/organisation/retur/", oidc.callback, name="oidc_authentication_callback"),
    path("konto/totrinslogin/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path(
        "konto/adgangsnoegler/tilfoej/",
        passkeys.enrolment_allow,
        name="passkey_enrolment_allow",
    ),
    path("konto/adgangsnoegler/<int:pk>/fjern/", passkeys.remove, name="passkey_remove"),
    path("adgangsnoegler/", include((passkeys.api_urlpatterns, "otp_webauthn"))),
    path("log-af/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/forlaeng/", auth.session_keepalive, name="session_keepalive"),
    path(
        "glemt-adgangskode/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            extra_email_context={
                "service_name": settings.SSP_SITE_NAME,
                "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
        ),
        name="password_reset",
    ),
    path(
        "glemt-adgangskode/sendt/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "ny-adgangskode/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "ny-adgangskode/faerdig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("tilgaengelighed/", pages.accessibility_statement, name="accessibility"),
    path("health/", health.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("organisation/", include("forum.urls")),
    path("", include("cases.urls")),
    # Under the meetings' paths, where the page has always been: see ssp.views.reminders.
    path("moeder/paamindelser/", reminders.reminder_settings, name="reminder_settings"),
    path("", include("meetings.urls")),
    path("", include("prevention.urls")),
    path("", include("reports.urls")),
    path("", include("actioncard.urls")),
    path("", include("archive.urls")),
    path("", include("onboarding.urls")),
    path("organisation/", include("orgimport.urls")),
    # Django admin's own login form would skip the second factor: it sends people to ours.
    path("admin/login/", auth.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]

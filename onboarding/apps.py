from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = _("Introduktion af nye medarbejdere")

    def ready(self) -> None:
        from forum import hooks
        from onboarding import services

        hooks.membership_added_register(services.welcome_on_membership)

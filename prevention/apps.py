from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "prevention"
    verbose_name = _("Forebyggelse")

    def ready(self) -> None:
        from prevention import hooks, org_wheel_reminders

        hooks.register()
        org_wheel_reminders.register()

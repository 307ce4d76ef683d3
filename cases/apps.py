from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Bekymringer og sager")

    def ready(self) -> None:
        from cases import followthrough_reminders, hooks, reminders

        reminders.register()
        followthrough_reminders.register()
        hooks.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActioncardConfig(AppConfig):
    name = "actioncard"
    verbose_name = _("SSP-ActionCard")

    def ready(self) -> None:
        from actioncard import org_wheel, reminders

        reminders.register()
        org_wheel.register()

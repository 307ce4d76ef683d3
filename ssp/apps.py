from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SspConfig(AppConfig):
    name = "ssp"
    verbose_name = _("Fælles kerne")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from ssp.timestamps import use_c_timestamp_loader

        connection_created.connect(use_c_timestamp_loader, dispatch_uid="ssp.timestamps")

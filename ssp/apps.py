from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SspConfig(AppConfig):
    name = "ssp"
    verbose_name = _("Fælles kerne")

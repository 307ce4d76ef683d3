from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgImportConfig(AppConfig):
    name = "orgimport"
    verbose_name = _("Import af kommunens organisation")

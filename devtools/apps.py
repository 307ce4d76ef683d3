from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Developer tooling: demo data, scale data, benchmarks and the load test.

    Installed only outside production (`ssp/settings.py`), so none of its commands exist there,
    and no other app imports it.
    """

    name = "devtools"
    verbose_name = "Developer tools"

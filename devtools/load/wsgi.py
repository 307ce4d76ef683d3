"""gunicorn entry point for the load test: the project's settings with devtools.load.urls, so the
trivial baseline view is served by the same process as the app."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssp.settings")
application = get_wsgi_application()
settings.ROOT_URLCONF = "devtools.load.urls"

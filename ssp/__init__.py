"""The SSP-samarbejde project package: settings, urls, the Celery app and the shared core."""

from ssp.celery import app as celery_app

__all__ = ("celery_app",)

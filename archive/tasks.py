"""Celery tasks of the archive app: thin adapters around its services."""

from __future__ import annotations

from celery import shared_task

from archive import services


@shared_task(acks_late=True)
def build_export(export_id: int, sealed_key: str) -> None:
    """Build one export. The key arrives sealed under the installation's keys; a second run
    of the same message finds the export no longer queued and does nothing."""
    services.archive_export_run(export_id=export_id, sealed=sealed_key)


@shared_task(acks_late=True)
def sweep_exports() -> int:
    """Every five minutes: delete archives downloaded or expired, fail lost exports."""
    return services.archive_exports_sweep()

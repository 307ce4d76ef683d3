"""Celery tasks of the ActionCard: thin adapters around services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from actioncard import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_edition(job_id: int) -> None:
    """Render one PDF job (routed to the `pdf` queue). The job row records failures; a lost
    or crashed run is picked up again by `sweep_renderings`."""
    services.render_run(job_id=job_id)


@shared_task(acks_late=True)
def sweep_renderings() -> int:
    """Every minute: enqueue again the renderings whose message or worker was lost."""
    return services.render_sweep()

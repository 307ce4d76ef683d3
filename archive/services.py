"""Every write of the archive app: asking for an export, building it (in the worker), the
one download, and the sweep that deletes archives once downloaded or expired."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from archive import crypto
from archive.members import BASE_SCOPES, CASES
from archive.models import ArchiveExport, ControllerRepresentative, ExportStatus
from archive.permissions import can_export_cases, can_export_municipality
from archive.writer import archive_write
from cases.models import YoungPerson
from forum.models import Municipality
from ssp.audit import audit_log
from ssp.models import AuditAction, Sector, User
from ssp.secrets import secret_decrypt, secret_encrypt
from ssp.storage import private_storage

logger = logging.getLogger(__name__)

CASE_LOG_PURPOSE = "Eksport af kommunens sager"


def _storage():  # type: ignore[no-untyped-def]
    return private_storage()


def controller_representative_validate(*, municipality: Municipality, user: User) -> None:
    # The police read cases only through a recorded basis and never take them out in bulk.
    if user.sector == Sector.POLICE:
        raise ValidationError(
            _("Politiet kan ikke være den dataansvarliges repræsentant."), code="police"
        )
    if not can_export_municipality(user, municipality):
        raise ValidationError(
            _("Repræsentanten skal være administrator i kommunen."), code="not_administrator"
        )


@transaction.atomic
def controller_representative_name(
    *, municipality: Municipality, user: User, instruction: str, by: User
) -> ControllerRepresentative:
    """Record the administrator the municipality has named to act for it as data controller.
    It lets them take the cases out, so it is logged as a grant."""
    controller_representative_validate(municipality=municipality, user=user)
    representative, _created = ControllerRepresentative.objects.update_or_create(
        municipality=municipality, user=user, defaults={"instruction": instruction.strip()}
    )
    audit_log(
        user=by,
        action=AuditAction.GRANT,
        obj=representative,
        municipality_id=municipality.pk,
        purpose=f"Repræsentant for den dataansvarlige: {instruction}"[:300],
    )
    return representative


@transaction.atomic
def controller_representative_remove(*, representative: ControllerRepresentative, by: User) -> None:
    audit_log(
        user=by,
        action=AuditAction.REVOKE,
        obj=representative,
        municipality_id=representative.municipality_id,
        purpose="Repræsentant for den dataansvarlige",
    )
    representative.delete()


def archive_export_request(
    *,
    municipality: Municipality,
    by: User,
    purpose: str,
    passphrase: str,
    include_cases: bool = False,
) -> ArchiveExport:
    """Record the export and hand it to the worker after the commit.

    The passphrase is stretched here (scrypt, fresh salt) and only the key leaves the
    request, sealed under the installation's own keys for the task's payload: the passphrase
    is stored nowhere. Asking for cases is a disclosure of every young person of the
    municipality: it is written to the access log with all of them, now, whatever happens to
    the task.
    """
    purpose = purpose.strip()
    errors: dict[str, str] = {}
    if not purpose:
        errors["purpose"] = _("Skriv, hvad eksporten skal bruges til.")
    if problem := crypto.passphrase_problem(passphrase):
        errors["passphrase"] = problem
    if errors:
        raise ValidationError(errors)
    if not can_export_municipality(by, municipality):
        raise ValidationError(_("Du kan ikke eksportere kommunens data."))
    if include_cases and not can_export_cases(by, municipality):
        raise ValidationError(
            {"include_cases": _("Kun den dataansvarliges repræsentant kan eksportere sager.")}
        )
    kdf = crypto.KdfParameters.fresh()
    key = crypto.derive_key(passphrase, kdf)
    with transaction.atomic():
        export = ArchiveExport.objects.create(
            municipality=municipality, requested_by=by, purpose=purpose, include_cases=include_cases
        )
        audit_log(user=by, action=AuditAction.EXPORT, obj=export, purpose=purpose[:300])
        if include_cases:
            audit_log(
                user=by,
                action=AuditAction.EXPORT,
                object_type="cases.case",
                municipality_id=municipality.pk,
                purpose=f"{CASE_LOG_PURPOSE}: {purpose}"[:300],
                shown_subjects=YoungPerson.objects.filter(municipality=municipality).values_list(
                    "pk", flat=True
                ),
            )
        sealed = _seal_for_task(key, kdf)
        transaction.on_commit(lambda: _enqueue(export.pk, sealed))
    return export


def _seal_for_task(key: bytes, kdf: crypto.KdfParameters) -> str:
    return secret_encrypt(
        json.dumps(
            {"key": base64.b64encode(key).decode(), "kdf": kdf.as_manifest()}, sort_keys=True
        )
    )


def _unseal_for_task(sealed: str) -> tuple[bytes, crypto.KdfParameters]:
    data = json.loads(secret_decrypt(sealed))
    return base64.b64decode(data["key"]), crypto.KdfParameters.from_manifest(data["kdf"])


def _enqueue(export_id: int, sealed: str) -> None:
    from archive import tasks

    try:
        tasks.build_export.delay(export_id, sealed)
    except Exception:
        logger.exception("archive export %s could not be handed to Celery", export_id)


def archive_export_run(*, export_id: int, sealed: str) -> None:
    """Build the archive (in the worker) and store it for its one download."""
    with transaction.atomic():
        export = (
            ArchiveExport.objects.select_for_update(skip_locked=True)
            .filter(pk=export_id, status=ExportStatus.QUEUED)
            .select_related("municipality", "requested_by")
            .first()
        )
        if export is None:
            return  # gone, taken by another worker, or already done
        export.status, export.started_at = ExportStatus.RUNNING, timezone.now()
        export.save(update_fields=["status", "started_at"])
    try:
        key, kdf = _unseal_for_task(sealed)
        scopes = (*BASE_SCOPES, CASES) if export.include_cases else BASE_SCOPES
        role = "data_controller" if export.include_cases else "administrator"
        written = archive_write(
            municipality=export.municipality,
            scopes=scopes,
            key=key,
            kdf=kdf,
            created_by_role=role,
            statistics_user=export.requested_by,
            installation=settings.SSP_BASE_URL,
        )
        with transaction.atomic():
            name = _storage().save(
                f"archive/{export.municipality.code}/{uuid.uuid4().hex}.zip",
                ContentFile(written.data),
            )
            ArchiveExport.objects.filter(pk=export.pk).update(
                status=ExportStatus.READY,
                finished_at=timezone.now(),
                expires_at=timezone.now() + timedelta(hours=settings.ARCHIVE_DOWNLOAD_HOURS),
                file_name=name,
                size=len(written.data),
                sha256=hashlib.sha256(written.data).hexdigest(),
            )
    except Exception as error:
        logger.exception("archive export %s failed", export.pk)
        ArchiveExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )


def archive_download(*, export: ArchiveExport, by: User) -> File:
    """The archive for its one download: marked downloaded in the same step, so a second
    request finds nothing; the file itself goes with the next sweep (after the stream)."""
    with transaction.atomic():
        updated = ArchiveExport.objects.filter(
            pk=export.pk,
            requested_by=by,
            status=ExportStatus.READY,
            expires_at__gt=timezone.now(),
        ).update(status=ExportStatus.DOWNLOADED, downloaded_at=timezone.now())
        if not updated:
            raise ValidationError(_("Arkivet er allerede hentet eller udløbet."))
        # The log is in the installation's language, whatever the request's.
        with translation.override(settings.LANGUAGE_CODE):
            purpose = _("Arkivet hentet: %(purpose)s") % {"purpose": export.purpose}
        audit_log(user=by, action=AuditAction.EXPORT, obj=export, purpose=purpose)
        # Opened before the step commits: a file that cannot be read leaves the one download
        # unused.
        return _storage().open(export.file_name)


def archive_exports_sweep() -> int:
    """Delete archives downloaded a while ago or never fetched in time, and give up exports
    whose task was lost. Safe to run twice; returns how many exports it changed."""
    now = timezone.now()
    changed = 0
    done_before = now - timedelta(minutes=settings.ARCHIVE_DELETE_AFTER_DOWNLOAD_MINUTES)
    stale = ArchiveExport.objects.exclude(file_name="").filter(
        status=ExportStatus.DOWNLOADED, downloaded_at__lt=done_before
    ) | ArchiveExport.objects.exclude(file_name="").filter(
        status=ExportStatus.READY, expires_at__lte=now
    )
    for export in stale:
        with transaction.atomic():
            _storage().delete(export.file_name)
            status = ExportStatus.EXPIRED if export.status == ExportStatus.READY else export.status
            ArchiveExport.objects.filter(pk=export.pk).update(file_name="", status=status)
        changed += 1
    lost_before = now - timedelta(minutes=settings.ARCHIVE_QUEUED_GIVE_UP_MINUTES)
    changed += ArchiveExport.objects.filter(
        status=ExportStatus.QUEUED, requested_at__lt=lost_before
    ).update(
        status=ExportStatus.FAILED,
        finished_at=now,
        error="The task was lost before it ran; start a new export.",
    )
    died_before = now - timedelta(minutes=settings.ARCHIVE_RUNNING_GIVE_UP_MINUTES)
    changed += ArchiveExport.objects.filter(
        status=ExportStatus.RUNNING, started_at__lt=died_before
    ).update(
        status=ExportStatus.FAILED,
        finished_at=now,
        error="The worker building the archive stopped; start a new export.",
    )
    return changed

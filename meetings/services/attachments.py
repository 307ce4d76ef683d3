"""Files attached to agenda items."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from meetings.models import AgendaAttachment, AgendaItem
from meetings.services._common import check_open, log_case_write
from ssp.models import AuditAction, User
from ssp.uploads import upload_check


@transaction.atomic
def attachment_add(*, item: AgendaItem, by: User, upload: UploadedFile) -> AgendaAttachment:
    """Attach a file to an agenda item after checking its size and, by content, its type
    (`ssp.uploads`)."""
    check_open(item.meeting)
    name, content_type = upload_check(upload)
    attachment = AgendaAttachment(
        item=item,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save("upload", upload, save=False)
    storage = attachment.file.storage
    if getattr(storage, "transactional", False):
        # The file is a row written in this transaction: it goes with the attachment or not.
        attachment.save()
    else:
        try:
            attachment.save()
        except Exception:
            # The row did not make it: the stored file must not stay behind without it.
            storage.delete(attachment.file.name)
            raise
    log_case_write(by=by, action=AuditAction.CREATE, obj=attachment, item=item)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: AgendaAttachment, by: User | None = None) -> None:
    check_open(attachment.item.meeting)
    log_case_write(by=by, action=AuditAction.DELETE, obj=attachment, item=attachment.item)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if getattr(storage, "transactional", False):
        storage.delete(name)  # a row of this transaction
    else:
        transaction.on_commit(lambda: storage.delete(name))

"""Files attached to agenda items."""

from __future__ import annotations

from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from meetings.models import AgendaAttachment, AgendaItem
from meetings.services._common import check_open
from ssp.models import User

# What may be attached, recognised by the file's content (its first bytes), not its name.
ATTACHMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "image/png": "png",
    "image/jpeg": "jpg",
}
# Other spellings of an extension that name the same type and so may stay as typed.
_SAME_TYPE = {"jpg": {"jpeg", "jpe"}}


def _safe_file_name(name: str) -> str:
    name = PurePosixPath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    return name.strip()[:200] or "bilag"


def attachment_file_name(name: str, content_type: str) -> str:
    """The name a file is stored and downloaded under: the user's name with the extension of
    the type its content was recognised as, so a PDF uploaded as "evil.html" is "evil.pdf"
    and no browser or mail program treats it as what the name claims."""
    extension = ATTACHMENT_TYPES.get(content_type)
    if extension is None:
        return name
    path = PurePosixPath(name)
    if path.suffix[1:].lower() in {extension} | _SAME_TYPE.get(extension, set()):
        return name
    stem = path.stem if path.suffix else name
    return f"{stem[: 200 - len(extension) - 1]}.{extension}"


@transaction.atomic
def attachment_add(*, item: AgendaItem, by: User, upload: UploadedFile) -> AgendaAttachment:
    """Attach a file to an agenda item after checking its size and, by content, its type."""
    check_open(item.meeting)
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("Filen er for stor. Den må højst fylde %(size)s.")
                    % {"size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
                ]
            }
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime not in ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "file": [
                    _(
                        "Filtypen kan ikke vedhæftes. Brug PDF, Word, Excel, PowerPoint, "
                        "OpenDocument, PNG eller JPEG."
                    )
                ]
            }
        )
    attachment = AgendaAttachment(
        item=item,
        original_name=attachment_file_name(_safe_file_name(upload.name or ""), kind.mime),
        content_type=kind.mime,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save("upload", upload, save=False)
    try:
        attachment.save()
    except Exception:
        # The row did not make it: the stored file must not stay behind without it.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: AgendaAttachment) -> None:
    check_open(attachment.item.meeting)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))

"""Files users upload: what may be stored, recognised by the file's content (its first
bytes) rather than its name, and the name it is kept and downloaded under.

Shared by every app that takes an upload, so a file is judged the same way wherever it
arrives.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The types that may be uploaded, by MIME type, with the extension they are named by.
UPLOAD_TYPES = {
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
MAX_NAME_LENGTH = 200


def _safe_file_name(name: str) -> str:
    name = PurePosixPath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    return name.strip()[:MAX_NAME_LENGTH] or "bilag"


def file_name_for_type(name: str, content_type: str) -> str:
    """The name a file is stored and downloaded under: the user's name with the extension of
    the type its content was recognised as, so a PDF uploaded as "evil.html" is "evil.pdf"
    and no browser or mail program treats it as what the name claims."""
    extension = UPLOAD_TYPES.get(content_type)
    if extension is None:
        return name
    path = PurePosixPath(name)
    if path.suffix[1:].lower() in {extension} | _SAME_TYPE.get(extension, set()):
        return name
    stem = path.stem if path.suffix else name
    return f"{stem[: MAX_NAME_LENGTH - len(extension) - 1]}.{extension}"


def upload_check(upload: UploadedFile, *, field: str = "file") -> tuple[str, str]:
    """The name to keep and the recognised MIME type of an upload that may be stored; a
    `ValidationError` on `field` for one that is too large or of a type not allowed."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                field: [
                    _("Filen er for stor. Den må højst fylde %(size)s.")
                    % {"size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
                ]
            }
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime not in UPLOAD_TYPES:
        raise ValidationError(
            {
                field: [
                    _(
                        "Filtypen kan ikke vedhæftes. Brug PDF, Word, Excel, PowerPoint, "
                        "OpenDocument, PNG eller JPEG."
                    )
                ]
            }
        )
    return file_name_for_type(_safe_file_name(upload.name or ""), kind.mime), kind.mime

"""Files that must never be served by the web server: agenda attachments, ActionCard PDFs.

They are stored in PostgreSQL (`ssp.models.StoredFile`, one `bytea` row per file), not on a
node's disk, so any web node or Celery worker reads what another wrote (docs/multinode.md):
- one transaction with the records: a file saved or deleted inside a transaction that rolls
  back is not saved or deleted either, and erasing a case removes its files' rows in the
  erasing transaction (`cases.erasure`);
- one backup (`manage.py backup` dumps them with the rest) and the same access control,
  retention and encryption at rest as every other record of a child's case;
- they reach a browser only through a view that checks permissions (or, for a published
  ActionCard, its status), streamed in chunks (`DatabaseFile`) so a 10 MB attachment is not
  held whole in a worker's memory.

`private_storage()` is the storage every FileField of the app names (through a callable, so the
migrations do not change when the storage does).
"""

from __future__ import annotations

import mimetypes
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import connections
from django.utils import timezone
from django.utils.deconstruct import deconstructible

# Files always live on the primary: a download right after an upload must not meet a replica's
# lag, and writes can only go there anyway.
FILES_DATABASE = "default"
# How much of a file one query reads while it is streamed to the browser.
CHUNK_BYTES = 1024 * 1024


class DatabaseFile(File):
    """A stored file opened for reading: its bytes are fetched `CHUNK_BYTES` at a time."""

    def __init__(self, name: str, pk: int, size: int) -> None:
        self.name = name
        self.mode = "rb"
        self._pk = pk
        self._size = size
        self._position = 0
        self._buffer = b""
        self._buffer_start = 0
        self.file = None  # type: ignore[assignment]  # nothing on disk behind it

    @property
    def size(self) -> int:  # type: ignore[override]
        return self._size

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes from the position. FileResponse asks for 4 KB at a time, so each
        query fetches at least `CHUNK_BYTES` and the following reads are served from that."""
        if size is None or size < 0:
            size = self._size - self._position
        size = min(size, self._size - self._position)
        if size <= 0:
            return b""
        start = self._position - self._buffer_start
        if start < 0 or start + size > len(self._buffer):
            self._buffer = self._fetch(self._position, max(size, CHUNK_BYTES))
            self._buffer_start, start = self._position, 0
        data = self._buffer[start : start + size]
        self._position += len(data)
        return data

    def _fetch(self, position: int, size: int) -> bytes:
        with connections[FILES_DATABASE].cursor() as cursor:
            # substring on bytea counts from 1; the column is stored uncompressed (EXTERNAL,
            # see the migration), so PostgreSQL reads only the slice asked for.
            cursor.execute(
                "SELECT substring(content FROM %s FOR %s) FROM ssp_storedfile WHERE id = %s",
                [position + 1, size, self._pk],
            )
            row = cursor.fetchone()
        return bytes(row[0]) if row else b""

    def chunks(self, chunk_size: int | None = None):  # type: ignore[no-untyped-def]
        self._position = 0
        while chunk := self.read(chunk_size or CHUNK_BYTES):
            yield chunk

    def __iter__(self):  # type: ignore[no-untyped-def]
        yield from self.chunks()

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._position, 2: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def tell(self) -> int:
        return self._position

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def open(self, mode: str | None = None) -> DatabaseFile:  # type: ignore[override]
        self._position = 0
        return self

    def close(self) -> None:
        self._position = 0

    @property
    def closed(self) -> bool:  # type: ignore[override]
        return False


@deconstructible(path="ssp.storage.DatabaseStorage")
class DatabaseStorage(Storage):
    """A Django storage whose files are rows of `ssp.models.StoredFile`.

    Saving and deleting happen in the caller's transaction (`transactional`), unlike a file
    system's, so callers may delete at once instead of after commit.
    """

    transactional = True

    @staticmethod
    def _model():  # type: ignore[no-untyped-def]
        from ssp.models import StoredFile  # the storage is built before the models load

        return StoredFile.objects.using(FILES_DATABASE)

    def _open(self, name: str, mode: str = "rb") -> DatabaseFile:
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Stored files are written with save(), not opened for writing.")
        row = self._model().filter(name=name).values_list("pk", "size").first()
        if row is None:
            raise FileNotFoundError(name)
        return DatabaseFile(name, pk=row[0], size=row[1])

    def _save(self, name: str, content: IO[Any] | File) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        chunks = content.chunks() if hasattr(content, "chunks") else iter([content.read()])
        data = b"".join(chunk if isinstance(chunk, bytes) else chunk.encode() for chunk in chunks)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self._model().create(
            name=name,
            content=data,
            size=len(data),
            content_type=content_type,
            created_at=timezone.now(),
        )
        return name

    def delete(self, name: str) -> None:
        if name:
            self._model().filter(name=name).delete()

    def exists(self, name: str) -> bool:
        return self._model().filter(name=name).exists()

    def size(self, name: str) -> int:
        size = self._model().filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(name)
        return size

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        prefix = f"{path.strip('/')}/" if path.strip("/") else ""
        directories: set[str] = set()
        files: list[str] = []
        for name in self._model().filter(name__startswith=prefix).values_list("name", flat=True):
            rest = name[len(prefix) :]
            head, _, tail = rest.partition("/")
            if tail:
                directories.add(head)
            else:
                files.append(head)
        return sorted(directories), sorted(files)

    def get_created_time(self, name: str):  # type: ignore[no-untyped-def]
        created = self._model().filter(name=name).values_list("created_at", flat=True).first()
        if created is None:
            raise FileNotFoundError(name)
        return created

    get_modified_time = get_created_time

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Stored files are served only by permission-checked views.")


def private_storage() -> DatabaseStorage:
    return DatabaseStorage()

"""Reading back the app's streamed CSV exports: the lines at the top that say what made the
file (when, and which filters), an empty line, then the table with its header."""

from __future__ import annotations

import csv
import io

from django.http import StreamingHttpResponse


def read_export(response: StreamingHttpResponse) -> tuple[dict[str, str], list[list[str]]]:
    """The export's preamble as {label: value} and its table (header first)."""
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte order mark to read UTF-8"
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert [] in rows, "the export does not open with what made it"
    blank = rows.index([])
    preamble = {row[0]: row[1] for row in rows[:blank]}
    assert "Udtrukket" in preamble, "the export does not say when it was made"
    return preamble, rows[blank + 1 :]

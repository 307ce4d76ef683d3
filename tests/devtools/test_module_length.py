"""`make lint` fails on a module that outgrew its limit (devtools/module_length.py)."""

from __future__ import annotations

from pathlib import Path

from devtools import module_length


def _write(root: Path, path: str, lines: int) -> str:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text("x = 1\n" * lines, encoding="utf-8")
    return path


def test_an_application_module_over_600_lines_is_named(tmp_path: Path) -> None:
    paths = [_write(tmp_path, "cases/services.py", 601), _write(tmp_path, "cases/forms.py", 600)]

    assert module_length.too_long(tmp_path, paths) == [("cases/services.py", 601, 600)]


def test_test_modules_may_have_800_lines_and_migrations_any(tmp_path: Path) -> None:
    paths = [
        _write(tmp_path, "tests/cases/test_ok.py", 800),
        _write(tmp_path, "tests/cases/test_long.py", 801),
        _write(tmp_path, "cases/migrations/0001_initial.py", 5000),
    ]

    assert module_length.too_long(tmp_path, paths) == [("tests/cases/test_long.py", 801, 800)]

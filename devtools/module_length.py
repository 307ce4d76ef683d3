"""Fail when a module has outgrown one sitting: `make lint` runs `python -m devtools.module_length`.

An application module (migrations aside) may have at most 600 lines, a test module 800. A
module that needs more holds more than one sub-domain: split it into a package by sub-domain
(see README, Architecture) rather than raising the limit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

APPLICATION_LIMIT = 600
TEST_LIMIT = 800


def limit_for(path: str) -> int | None:
    """The most lines `path` may have, or None when it is not checked."""
    if "/migrations/" in path or not path.endswith(".py"):
        return None
    return TEST_LIMIT if path.startswith("tests/") else APPLICATION_LIMIT


def too_long(root: Path, paths: list[str]) -> list[tuple[str, int, int]]:
    """(path, lines, limit) for every checked module over its limit."""
    found = []
    for path in paths:
        limit = limit_for(path)
        if limit is None:
            continue
        lines = len((root / path).read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found.append((path, lines, limit))
    return found


def tracked_python_files(root: Path) -> list[str]:
    result = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],  # noqa: S607
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return [path for path in result.stdout.splitlines() if (root / path).exists()]


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    found = too_long(root, tracked_python_files(root))
    for path, lines, limit in found:
        how = "behaviour" if limit == TEST_LIMIT else "sub-domain"
        print(f"{path}: {lines} lines (at most {limit}); split it by {how}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

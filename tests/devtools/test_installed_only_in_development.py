"""The developer tools exist outside production only: with production settings `manage.py help`
lists none of their commands (so nobody can seed demo logins with a published password into a
real database), while development and the tests have them all."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEVELOPER_COMMANDS = {
    "seed_demo",
    "seed_scale",
    "demo_code",
    "loadtest",
    "benchmark_actioncard",
    "benchmark_cases",
    "benchmark_pages",
    "benchmark_form_pages",
    "benchmark_reminders",
    "benchmark_statistics",
}
PRODUCTION_COMMANDS = {"backup", "restore", "preflight", "migrate"}
# What production settings insist on; `help` never opens a connection, so any URL does.
PRODUCTION_ENVIRONMENT = {
    "SSP_ENVIRONMENT": "production",
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(45),
    "ALLOWED_HOSTS": "ssp.example.dk",
    "DATABASE_URL": "postgres://ssp:secret@db.example:5432/ssp",
    "CPR_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "CPR_HASH_KEY": secrets.token_urlsafe(32),
}


def _listed_commands(**environment: str) -> tuple[set[str], str]:
    """The command names `manage.py help` lists (indented under their app), and its output."""
    env = {
        **{name: value for name, value in os.environ.items() if name not in PRODUCTION_ENVIRONMENT},
        "DJANGO_SETTINGS_MODULE": "ssp.settings",
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "help"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    names = {line.strip() for line in result.stdout.splitlines() if line.startswith("    ")}
    return names, result.stdout


def test_production_lists_no_developer_command() -> None:
    listed, output = _listed_commands(**PRODUCTION_ENVIRONMENT)

    assert not listed & DEVELOPER_COMMANDS, f"developer commands in production:\n{output}"
    assert "[devtools]" not in output
    assert listed >= PRODUCTION_COMMANDS, output


def test_development_lists_every_developer_command() -> None:
    listed, output = _listed_commands(SSP_ENVIRONMENT="development")

    assert listed >= DEVELOPER_COMMANDS | PRODUCTION_COMMANDS, output

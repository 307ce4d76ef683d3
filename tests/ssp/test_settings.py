"""Settings come from the environment, and production refuses to start half-configured."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from ssp.env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parents[2]
SETUP_DJANGO = "import django; django.setup()"
# The production checks never open a connection, so any PostgreSQL URL does.
POSTGRES_URL = "postgres://ssp:secret@db.example:5432/ssp"
PRODUCTION_ONLY = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DATABASE_MIGRATE_URL",
    "DEBUG",
    "SSP_ENVIRONMENT",
    "CPR_ENCRYPTION_KEYS",
    "CPR_HASH_KEY",
)
# Set by tests/conftest.py for Playwright; `check --deploy` rightly refuses it.
TEST_ONLY = ("DJANGO_ALLOW_ASYNC_UNSAFE",)


# ---- ssp/env.py helpers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        (" ON ", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("SSP_TEST_FLAG", raw)

    assert env_bool("SSP_TEST_FLAG", default=not expected) is expected


def test_env_bool_uses_the_default_when_unset(monkeypatch) -> None:
    monkeypatch.delenv("SSP_TEST_FLAG", raising=False)

    assert env_bool("SSP_TEST_FLAG", default=True) is True
    assert env_bool("SSP_TEST_FLAG", default=False) is False


def test_env_bool_refuses_anything_else_and_names_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("SSP_TEST_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match=r"SSP_TEST_FLAG.*'maybe'"):
        env_bool("SSP_TEST_FLAG", default=False)


def test_env_int_reads_a_whole_number(monkeypatch) -> None:
    monkeypatch.setenv("SSP_TEST_NUMBER", "42")

    assert env_int("SSP_TEST_NUMBER", 7) == 42


def test_env_int_uses_the_default_when_unset_or_blank(monkeypatch) -> None:
    monkeypatch.delenv("SSP_TEST_NUMBER", raising=False)
    assert env_int("SSP_TEST_NUMBER", 7) == 7

    monkeypatch.setenv("SSP_TEST_NUMBER", "  ")
    assert env_int("SSP_TEST_NUMBER", 7) == 7


@pytest.mark.parametrize("raw", ["abc", "1.5", "12 timer"])
def test_env_int_refuses_a_non_number_and_names_the_variable(monkeypatch, raw: str) -> None:
    monkeypatch.setenv("SSP_TEST_NUMBER", raw)

    with pytest.raises(ImproperlyConfigured, match="SSP_TEST_NUMBER must be a whole number"):
        env_int("SSP_TEST_NUMBER", 7)


def test_env_int_refuses_a_number_below_the_minimum_and_names_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("SSP_TEST_NUMBER", "0")

    with pytest.raises(ImproperlyConfigured, match="SSP_TEST_NUMBER must be at least 1, not 0"):
        env_int("SSP_TEST_NUMBER", 7, minimum=1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch) -> None:
    monkeypatch.setenv("SSP_TEST_LIST", " a.example , b.example,,  ,c.example")

    assert env_list("SSP_TEST_LIST") == ["a.example", "b.example", "c.example"]


def test_env_list_uses_a_copy_of_the_default_when_unset(monkeypatch) -> None:
    monkeypatch.delenv("SSP_TEST_LIST", raising=False)
    default = ["localhost"]

    value = env_list("SSP_TEST_LIST", default=default)

    assert value == ["localhost"]
    assert value is not default
    assert env_list("SSP_TEST_LIST") == []


def test_env_list_required_refuses_a_missing_value_and_names_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("SSP_TEST_LIST", " ")

    with pytest.raises(ImproperlyConfigured, match="SSP_TEST_LIST must be set"):
        env_list("SSP_TEST_LIST", required=True)


def test_env_str_required_refuses_a_missing_or_empty_value(monkeypatch) -> None:
    monkeypatch.setenv("SSP_TEST_TEXT", "")

    with pytest.raises(ImproperlyConfigured, match="SSP_TEST_TEXT must be set"):
        env_str("SSP_TEST_TEXT", "fallback", required=True)
    assert env_str("SSP_TEST_TEXT", "fallback") == "fallback"


def test_env_str_without_a_default_names_the_variable(monkeypatch) -> None:
    monkeypatch.delenv("SSP_TEST_TEXT", raising=False)

    with pytest.raises(ImproperlyConfigured, match="SSP_TEST_TEXT has no default"):
        env_str("SSP_TEST_TEXT")


def test_file_variant_wins_over_the_plain_variable(monkeypatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-the-file\n", encoding="utf-8")
    monkeypatch.setenv("SSP_TEST_TEXT", "from-the-variable")
    monkeypatch.setenv("SSP_TEST_TEXT_FILE", str(secret))

    assert env_str("SSP_TEST_TEXT") == "from-the-file"


def test_file_variant_works_for_every_helper(monkeypatch, tmp_path: Path) -> None:
    for name, content in [("SSP_TEST_FLAG", "yes"), ("SSP_TEST_NUMBER", "9")]:
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        monkeypatch.setenv(name, "garbage")
        monkeypatch.setenv(f"{name}_FILE", str(path))
    (tmp_path / "list").write_text("x,y", encoding="utf-8")
    monkeypatch.setenv("SSP_TEST_LIST_FILE", str(tmp_path / "list"))

    assert env_bool("SSP_TEST_FLAG", default=False) is True
    assert env_int("SSP_TEST_NUMBER", 1) == 9
    assert env_list("SSP_TEST_LIST") == ["x", "y"]


def test_unreadable_file_variant_is_refused_and_named(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SSP_TEST_TEXT", "from-the-variable")
    monkeypatch.setenv("SSP_TEST_TEXT_FILE", str(tmp_path / "missing"))

    with pytest.raises(ImproperlyConfigured, match="SSP_TEST_TEXT_FILE points at an unreadable"):
        env_str("SSP_TEST_TEXT")


# ---- production mode, in a fresh interpreter --------------------------------------------


def _environment(**overrides: str) -> dict[str, str]:
    """This process's environment without any setting production insists on, plus overrides."""
    env = dict(os.environ)
    for name in PRODUCTION_ONLY:
        env.pop(name, None)
        env.pop(f"{name}_FILE", None)
    for name in TEST_ONLY:
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = "ssp.settings"
    env.update(overrides)
    return env


def _production(**overrides: str) -> dict[str, str]:
    return _environment(**{"SSP_ENVIRONMENT": "production", **overrides})


def _complete_production(**overrides: str) -> dict[str, str]:
    complete = {
        "SECRET_KEY": secrets.token_urlsafe(45),
        "ALLOWED_HOSTS": "ssp.example.dk",
        "DATABASE_URL": POSTGRES_URL,
        "CPR_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "CPR_HASH_KEY": secrets.token_urlsafe(32),
    }
    return _production(**{**complete, **overrides})


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _setup_django(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run(env, "-c", SETUP_DJANGO)


def test_development_starts_without_any_configuration() -> None:
    result = _setup_django(_environment())

    assert result.returncode == 0, result.stderr


def test_complete_production_configuration_starts() -> None:
    result = _setup_django(_complete_production())

    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _setup_django(_production())

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "The environment variable SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts() -> None:
    result = _setup_django(_production(SECRET_KEY=secrets.token_urlsafe(45)))

    assert result.returncode != 0
    assert "The environment variable ALLOWED_HOSTS must be set" in result.stderr


@pytest.mark.parametrize("name", ["CPR_ENCRYPTION_KEYS", "CPR_HASH_KEY"])
def test_production_refuses_to_start_without_its_own_cpr_keys(name: str) -> None:
    result = _setup_django(_complete_production(**{name: ""}))

    assert result.returncode != 0
    assert f"The environment variable {name} must be set" in result.stderr


def test_production_refuses_to_start_without_a_database_url() -> None:
    result = _setup_django(
        _production(SECRET_KEY=secrets.token_urlsafe(45), ALLOWED_HOSTS="ssp.example.dk")
    )

    assert result.returncode != 0
    assert "The environment variable DATABASE_URL must be set" in result.stderr


def test_production_takes_the_secret_key_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(45), encoding="utf-8")
    env = _complete_production()
    del env["SECRET_KEY"]
    env["SECRET_KEY_FILE"] = str(key_file)

    result = _run(
        env, "-c", f"{SETUP_DJANGO}; from django.conf import settings; print(settings.SECRET_KEY)"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key_file.read_text(encoding="utf-8")


def test_production_passes_the_deployment_checklist() -> None:
    result = _run(
        _complete_production(), "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_an_unknown_environment_is_refused() -> None:
    result = _setup_django(_complete_production(SSP_ENVIRONMENT="bogus"))

    assert result.returncode != 0
    assert "SSP_ENVIRONMENT must be 'development' or 'production', not 'bogus'" in result.stderr


def test_debug_is_refused_in_production() -> None:
    result = _setup_django(_complete_production(DEBUG="true"))

    assert result.returncode != 0
    assert "DEBUG cannot be on when SSP_ENVIRONMENT is production" in result.stderr


def test_a_database_other_than_postgresql_is_refused() -> None:
    result = _setup_django(_complete_production(DATABASE_URL="sqlite:///x"))

    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr


def test_a_malformed_number_is_refused_at_start_and_named() -> None:
    result = _setup_django(_complete_production(LOGIN_FAILURE_LIMIT="fem"))

    assert result.returncode != 0
    assert "LOGIN_FAILURE_LIMIT must be a whole number, not 'fem'" in result.stderr


def test_production_turns_on_transport_security() -> None:
    code = (
        f"{SETUP_DJANGO}; from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS)"
    )

    result = _run(_complete_production(), "-c", code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "31536000"]


def test_production_checks_persistent_database_connections_before_reusing_them() -> None:
    """Without the health check, the first request on each worker after PostgreSQL restarts
    answers 500 (tests/fault/postgres_restart.py shows it; `make fault-postgres`)."""
    code = (
        f"{SETUP_DJANGO}; from django.conf import settings as s; "
        "d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )

    result = _run(_complete_production(), "-c", code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60", "True"]

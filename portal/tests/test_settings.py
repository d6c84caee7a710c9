"""Settings as each environment loads them, in a fresh interpreter with a controlled environment."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

SAFE_SECRET = "x7#Lq2!vB9zR@4mN$8pK&1wE^6tY*3uI(0oP)5aS-jD+hF=gH_cV]bN[mQ{lW}eR|"
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "DJANGO_SECRET_KEY": SAFE_SECRET,
    "DJANGO_ALLOWED_HOSTS": "parlure.example.org",
    "DATABASE_URL": "postgres://parlure_app@127.0.0.1:5432/parlure",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}
# Variables that would leak the test run's configuration into the child.
_CLEARED = ("DJANGO_", "DATABASE_", "CELERY_", "PARLURE_")


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(_CLEARED)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "local-development-only-not-a-secret"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG must be off"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS must list"),
        ({"DATABASE_URL": ""}, "DATABASE_URL must be set"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(
    change: dict[str, str], message: str
) -> None:
    completed = _run({**PRODUCTION, **change}, "check")
    assert completed.returncode != 0
    assert message in completed.stderr


def test_production_passes_the_deployment_checklist_without_warnings() -> None:
    completed = _run(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert completed.returncode == 0, completed.stderr
    assert "no issues" in completed.stdout


def test_the_embedded_default_needs_no_server(tmp_path: object) -> None:
    completed = _run(
        {"DJANGO_SETTINGS_MODULE": "portal.settings.local", "PARLURE_VAR_DIR": str(tmp_path)},
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CELERY_RESULT_BACKEND)",
    )
    assert completed.returncode == 0, completed.stderr
    engine, broker, backend = completed.stdout.split()[-3:]
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert backend == f"file://{tmp_path}/celery-results"


def test_urls_switch_to_postgresql_and_redis_without_code_change() -> None:
    completed = _run(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.local",
            "DATABASE_URL": "postgres://parlure_app@127.0.0.1:5432/parlure",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        },
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CELERY_RESULT_BACKEND)",
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split()[-3:] == [
        "django.db.backends.postgresql",
        "redis://127.0.0.1:6379/0",
        "redis://127.0.0.1:6379/0",
    ]

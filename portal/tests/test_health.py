"""/healthz/: 200 after a SELECT 1 on the database, 503 without one; no login, no session."""

import json
import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries


@pytest.mark.django_db
def test_healthz_answers_ok_after_one_query_without_login_or_session(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):  # the SELECT 1; no session or user lookup
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_accepts_head_and_refuses_post(client: Client) -> None:
    assert client.head("/healthz/").status_code == 200
    assert client.post("/healthz/").status_code == 405


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_healthz_answers_503_when_the_database_is_unreachable() -> None:
    # A fresh interpreter whose DATABASE_URL points at a port where nothing listens: the real
    # connection error, without touching this test run's database connection.
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client(HTTP_HOST='localhost').get('/healthz/'); "
        "print(r.status_code, r.content.decode())"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{_free_port()}/nothing",
    }
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    status, _, body = completed.stdout.strip().partition(" ")
    assert status == "503"
    assert json.loads(body) == {"status": "unavailable", "database": "unreachable"}


@pytest.mark.django_db
def test_readyz_reports_the_database_the_broker_and_the_workers(client: Client) -> None:
    # The test settings' broker is the machine's Redis; no worker runs in this test.
    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "workers": 0}
    assert settings.SESSION_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_readyz_answers_503_when_the_broker_is_unreachable_and_healthz_stays_ok() -> None:
    # A fresh interpreter on this run's test database, with a broker where nothing listens.
    database = settings.DATABASES["default"]
    database_url = (
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )
    port = _free_port()
    script = (
        "import django; django.setup(); from django.test import Client; c = Client(); "
        "r = c.get('/readyz/'); h = c.get('/healthz/'); "
        "print(r.status_code, h.status_code, r.content.decode())"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
    }
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    ready, health, body = completed.stdout.strip().split(" ", 2)
    assert (ready, health) == ("503", "200")
    assert json.loads(body) == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unreachable",
        "workers": None,
    }

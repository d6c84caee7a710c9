"""The README's first command, end to end: the embedded default (SQLite and the file-system broker)
with a real web server and a real worker, driven over HTTP like a browser."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.worker


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _processes_with_env(marker: str) -> list[int]:
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker.encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def test_runportal_serves_and_classifies_on_the_embedded_default(tmp_path: Path) -> None:
    marker = f"PARLURE_VAR_DIR={tmp_path}"
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))
        },
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "PARLURE_VAR_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, timeout=300)

    port = _free_port()
    portal = subprocess.Popen(
        [*manage, "runportal", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert portal.stdout is not None
        deadline = time.monotonic() + 120
        banner = ""
        # A fresh database has no administrator, so the banner ends with how to create one.
        while "/admin/" not in banner and time.monotonic() < deadline:
            banner += portal.stdout.readline()
        assert f"Parlure is running at http://127.0.0.1:{port}/" in banner
        assert "database: sqlite3, broker: filesystem" in banner
        assert "manage.py createsuperuser" in banner

        bench = subprocess.run(
            [sys.executable, str(settings.BASE_DIR / "bench" / "submit_latency.py"),
             "--base-url", f"http://127.0.0.1:{port}", "--runs", "3"],
            capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert bench.returncode == 0, bench.stderr
        runs = [line for line in bench.stdout.splitlines() if line.startswith("run ")]
        assert len(runs) == 3
        for line in runs:
            assert " done " in line
            assert any(label in line for label in ("soutenu", "neutre", "familier"))
    finally:
        portal.send_signal(signal.SIGTERM)
        portal.wait(timeout=60)
    # Stopping the portal stops the web server and the worker it started.
    deadline = time.monotonic() + 30
    while _processes_with_env(marker) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _processes_with_env(marker) == []

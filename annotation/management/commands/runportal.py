"""Start the whole portal on one machine: the web server and the Celery workers, together.

With no DATABASE_URL and CELERY_BROKER_URL this is the embedded default (SQLite and a broker on
the file system, both under var/); with them set, the same command runs on PostgreSQL and Redis.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parlure_ml.paths import E5_SUBDIR, default_model_dir
from parlure_ml.speech.sources import WHISPER_SUBDIR


def _wait_for_port(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    # Once: a second signal (make and the terminal both forward one) must not cut the clean-up.
    for name in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(name, signal.SIG_IGN)
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Start the web server and the Celery workers together, and print the portal's address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--concurrency", type=int, default=1, help="Worker processes.")

    def handle(self, *args: Any, **options: Any) -> None:
        host, _sep, port = options["addrport"].rpartition(":")
        host = host or "127.0.0.1"
        if not all((default_model_dir() / sub).is_dir() for sub in (E5_SUBDIR, WHISPER_SUBDIR)):
            raise CommandError("The models are not assembled yet: run `make setup` first.")
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        # Text and speech in a worker each, as in a deployment: a recording's segments get their
        # register while the rest of it is decoded, and a text waits for no transcription. Each
        # loads only its own model, so the two use the memory one worker for both did.
        nlp_cmd = [
            sys.executable, "-m", "celery", "-A", "portal", "worker",
            "--queues", "nlp", "--concurrency", str(options["concurrency"]),
            "--loglevel", "INFO", "--hostname", "nlp@%h",
            # The periodic jobs (audio retention) run inside this worker here; a deployment
            # runs a single separate `celery beat`.
            "--beat", "--schedule", str(settings.VAR_DIR / "celerybeat-schedule"),
        ]  # fmt: skip
        asr_cmd = [
            sys.executable, "-m", "celery", "-A", "portal", "worker",
            "--queues", "asr", "--concurrency", str(options["concurrency"]),
            "--loglevel", "INFO", "--hostname", "asr@%h",
        ]  # fmt: skip
        # Retraining gets its own worker process: a run takes minutes, classification goes on.
        training_cmd = [
            sys.executable, "-m", "celery", "-A", "portal", "worker",
            "--queues", "training", "--concurrency", "1",
            "--loglevel", "INFO", "--hostname", "training@%h",
        ]  # fmt: skip
        web_cmd = [*manage, "runserver", f"{host}:{port}"]
        # Each child in its own process group, so that stopping the portal stops their children
        # too (runserver's reloader, the worker's pool).
        # A plain `kill` must stop the children too, not only Ctrl-C.
        for name in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(name, _raise_keyboard_interrupt)
        processes = [
            subprocess.Popen(
                nlp_cmd,
                cwd=settings.BASE_DIR,
                start_new_session=True,
                env={**os.environ, "PARLURE_WARM_UP_MODELS": "register"},
            ),
            subprocess.Popen(
                asr_cmd,
                cwd=settings.BASE_DIR,
                start_new_session=True,
                env={**os.environ, "PARLURE_WARM_UP_MODELS": "speech"},
            ),
            subprocess.Popen(
                training_cmd,
                cwd=settings.BASE_DIR,
                start_new_session=True,
                env={**os.environ, "PARLURE_WARM_UP_MODELS": ""},  # loads nothing until a run
            ),
            subprocess.Popen(web_cmd, cwd=settings.BASE_DIR, start_new_session=True),
        ]
        try:
            if _wait_for_port(host, int(port), timeout=60):
                self._print_banner(host, port)
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
            raise CommandError("A portal process stopped; see the log above.")
        except KeyboardInterrupt:
            self.stderr.write("Stopping Parlure…")
        finally:
            *workers, web = processes
            # A worker's main process stops its pool itself (warm shutdown: the job in hand
            # finishes); runserver's reloader child only goes with its process group.
            for worker in workers:
                if worker.poll() is None:
                    worker.terminate()
            if web.poll() is None:
                os.killpg(web.pid, signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

    def _print_banner(self, host: str, port: str) -> None:
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
        lines = [
            "",
            f"  Parlure is running at http://{host}:{port}/",
            f"  (database: {database}, broker: {broker}; stop with Ctrl-C)",
        ]
        if not get_user_model().objects.filter(is_superuser=True).exists():
            lines += [
                "",
                "  No administrator yet. In another terminal, create one with:",
                "    .venv/bin/python manage.py createsuperuser",
                f"  then open http://{host}:{port}/admin/",
            ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)) + "\n")

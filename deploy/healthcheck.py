"""Container health check: exit 0 when the process in this container is healthy, 1 otherwise.

    python deploy/healthcheck.py          # web: GET /healthz/ (200 = up and the database answers)
    python deploy/healthcheck.py beat     # beat: its schedule file was written recently

The web check talks to gunicorn on its Unix socket when PARLURE_HEALTH_SOCKET is set (compose),
else on 127.0.0.1:$PARLURE_HEALTH_PORT (8000). It sends a Host from DJANGO_ALLOWED_HOSTS and
X-Forwarded-Proto: https, as nginx does, so that production settings neither reject the host nor
answer with the HTTPS redirect. Standard library only: it runs in a fresh interpreter every 30 s.
"""

import glob
import http.client
import os
import socket
import sys
import time


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a Unix domain socket (gunicorn's --bind unix:PATH)."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.socket_path)
        self.sock = sock


def allowed_host() -> str:
    """The first host Django accepts ('.example.org' and '*' are patterns, not names)."""
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0] if hosts else "localhost"
    return "localhost" if host == "*" else host.lstrip(".")


def check_web(timeout: float = 5.0) -> bool:
    socket_path = os.environ.get("PARLURE_HEALTH_SOCKET")
    connection: http.client.HTTPConnection
    if socket_path:
        connection = UnixHTTPConnection(socket_path, timeout)
    else:
        port = int(os.environ.get("PARLURE_HEALTH_PORT", "8000"))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Host": allowed_host(), "X-Forwarded-Proto": "https"}
    try:
        connection.request("GET", "/healthz/", headers=headers)
        status = connection.getresponse().status
    except OSError as error:
        print(f"web: {error}", file=sys.stderr)
        return False
    finally:
        connection.close()
    if status != 200:
        print(f"web: /healthz/ answered {status}", file=sys.stderr)
    return status == 200


def check_beat(schedule: str, max_age_s: float) -> bool:
    """Celery beat rewrites its schedule file (shelve: one file or several) as it runs.

    Measured: every 5 minutes (beat wakes at least every max_interval, 300 s, and syncs the
    file then), with no job due. A file older than 15 minutes (the default) means beat is stuck.
    """
    files = glob.glob(schedule + "*")
    if not files:
        print(f"beat: no schedule file {schedule}*", file=sys.stderr)
        return False
    age = time.time() - max(os.path.getmtime(f) for f in files)
    if age > max_age_s:
        print(f"beat: schedule last written {age:.0f} s ago", file=sys.stderr)
    return age <= max_age_s


def main(argv: list[str]) -> int:
    if argv[:1] == ["beat"]:
        schedule = os.environ.get("PARLURE_BEAT_SCHEDULE", "/tmp/celerybeat-schedule")
        max_age = float(os.environ.get("PARLURE_BEAT_MAX_AGE_S", "900"))
        return 0 if check_beat(schedule, max_age) else 1
    return 0 if check_web() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""No job lost, none stuck, none duplicated, on a production-like stack under faults.

Starts a stack of its own: gunicorn (2 workers, DEBUG off), Celery beat (the reconciler every
30 s, as in production), one Celery worker on the nlp and asr queues (concurrency 1), a private
Redis without persistence (a crash or a new pod leaves it empty) and a throw-away PostgreSQL
database. Leases and heartbeats keep their production defaults (60 s and 10 s) unless the
environment says otherwise.

Then, as an API client: signs up, submits TEXTS text jobs and AUDIOS audio jobs (espeak-ng French
clips), and while they run, kills the worker KILLS times in the middle of a job, spread over the
run (every fourth kill the whole worker, parent and child, which is then started again; the others
only the pool child, which the parent replaces), and restarts Redis empty once, half-way, with
jobs still queued. It waits
until every job is final, then reads the database: jobs done, failed, stuck, duplicated
predictions, and the time from the last fault to the last job done.

    .venv/bin/python bench/chaos_stack.py                    # 100 texts, 10 recordings, 20 kills
    .venv/bin/python bench/chaos_stack.py --texts 20 --audios 2 --kills 4

``--hosts`` runs the same with the web, the first worker and the second worker each on a host of
its own (Linux network namespaces joined by veth links; root only), PostgreSQL and Redis reached
over those links, and the first worker host's link cut in the middle of its jobs instead of the
kills (docs/operations.md, "Multi-host rehearsal").
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

from api_client import ApiClient  # noqa: E402

from parlure_ml.speech.synth import synthesize  # noqa: E402

FINAL = ("done", "failed", "cancelled")
ACTIVE = ("transcribing", "classifying")
PARAGRAPHS = [
    "Franchement, ce truc c'est trop relou, j'te jure, on s'en sort plus avec ces horaires.",
    "Le conseil municipal se réunira jeudi à dix-huit heures dans la salle des fêtes.",
    "Je vous prie d'agréer, Madame, l'expression de mes salutations les plus distinguées.",
    "Bon ben on s'est pris une sacrée gamelle au match, mais on a kiffé quand même.",
    "La température moyenne a augmenté de deux degrés au cours du siècle dernier.",
]
SPOKEN = [
    "Bonjour, je voudrais réserver une table pour quatre personnes samedi soir.",
    "Alors euh franchement le film était pas terrible, on s'est un peu ennuyés.",
    "Mesdames et messieurs, je vous remercie de votre présence en ce jour solennel.",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children(pid: int) -> list[int]:
    """The live child processes of `pid` (a killed child lingers as a zombie until reaped)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def wait_port(host: str, port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answers on {host}:{port} after {timeout} s")


@dataclass
class Hosts:
    """Three 'hosts' (network namespaces) on a bridge; services reached at the bridge address."""

    names: tuple[str, ...] = ("pweb", "pwork1", "pwork2")
    bridge: str = "pbr0"
    gateway: str = "10.77.0.1"
    forwarders: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def address(self, name: str) -> str:
        return f"10.77.0.{self.names.index(name) + 10}"

    def up(self, ports: list[int]) -> None:
        self.down()
        run = lambda *args: subprocess.run(args, check=True)  # noqa: E731
        run("ip", "link", "add", self.bridge, "type", "bridge")
        run("ip", "addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        run("ip", "link", "set", self.bridge, "up")
        for name in self.names:
            outside, inside = f"{name}-o", f"{name}-i"
            run("ip", "netns", "add", name)
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
            run("ip", "link", "set", inside, "netns", name)
            run("ip", "link", "set", outside, "master", self.bridge)
            run("ip", "link", "set", outside, "up")
            ns = ("ip", "netns", "exec", name)
            run(*ns, "ip", "addr", "add", f"{self.address(name)}/24", "dev", inside)
            run(*ns, "ip", "link", "set", inside, "up")
            run(*ns, "ip", "link", "set", "lo", "up")
        # PostgreSQL and Redis listen on 127.0.0.1 only: relay the bridge address to them.
        for port in ports:
            self.forwarders.append(
                subprocess.Popen(
                    [
                        "socat",
                        f"TCP-LISTEN:{port},bind={self.gateway},fork,reuseaddr",
                        f"TCP:127.0.0.1:{port}",
                    ],
                    start_new_session=True,  # one group with the copies it forks per connection
                )
            )
        for port in ports:
            wait_port(self.gateway, port, 10)

    def cut(self, name: str) -> None:
        subprocess.run(["ip", "link", "set", f"{name}-o", "down"], check=True)

    def restore(self, name: str) -> None:
        subprocess.run(["ip", "link", "set", f"{name}-o", "up"], check=True)

    def prefix(self, name: str) -> list[str]:
        return ["ip", "netns", "exec", name]

    def down(self) -> None:
        for forwarder in self.forwarders:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(forwarder.pid, signal.SIGKILL)
        self.forwarders.clear()
        for name in self.names:
            subprocess.run(["ip", "netns", "del", name], stderr=subprocess.DEVNULL)
            subprocess.run(["ip", "link", "del", f"{name}-o"], stderr=subprocess.DEVNULL)
        subprocess.run(["ip", "link", "del", self.bridge], stderr=subprocess.DEVNULL)


class Stack:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.hosts = Hosts() if args.hosts else None
        self.db = args.database
        self.redis_port = free_port()
        self.web_port = free_port()
        self.var = Path(tempfile.mkdtemp(prefix="parlure-chaos-"))
        self.redis: subprocess.Popen[bytes] | None = None
        self.processes: list[subprocess.Popen[bytes]] = []
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self.service_host = self.hosts.gateway if self.hosts else "127.0.0.1"
        self.web_host = self.hosts.address("pweb") if self.hosts else "127.0.0.1"

    # --- processes ------------------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        host = self.service_host
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="portal.settings.local",
            DJANGO_DEBUG="false",
            DATABASE_URL=f"postgres://postgres@{host}:5432/{self.db}",
            CELERY_BROKER_URL=f"redis://{host}:{self.redis_port}/0",
            CACHE_URL=f"redis://{host}:{self.redis_port}/1",
            PARLURE_VAR_DIR=str(self.var),
            PARLURE_API_RATE_USER="1000000/minute",
            PARLURE_API_RATE_UPLOADS="1000000/minute",
            DJANGO_ALLOWED_HOSTS="*",
        )
        return env

    def spawn(self, argv: list[str], host: str | None = None) -> subprocess.Popen[bytes]:
        prefix = self.hosts.prefix(host) if self.hosts and host else []
        log = open(self.var / f"{Path(argv[0]).name}-{len(self.processes)}.log", "ab")  # noqa: SIM115
        process = subprocess.Popen(
            prefix + argv, cwd=ROOT, env=self.env(), stdout=log, stderr=log, start_new_session=True
        )
        self.processes.append(process)
        return process

    def start_redis(self) -> None:
        server = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.redis = subprocess.Popen(
            [server, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_port("127.0.0.1", self.redis_port, 10)

    def restart_redis(self) -> None:
        assert self.redis is not None
        self.redis.kill()
        self.redis.wait()
        self.start_redis()

    def start_worker(self, name: str, host: str | None = None) -> None:
        venv = ROOT / ".venv" / "bin"
        self.workers[name] = self.spawn(
            [str(venv / "celery"), "-A", "portal", "worker", "--queues", "nlp,asr",
             "--concurrency", "1", "--loglevel", "WARNING", "--hostname", f"{name}@%h"],
            host,
        )  # fmt: skip

    def start(self) -> None:
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{self.db}"')
            c.execute(f'CREATE DATABASE "{self.db}"')
        self.start_redis()
        if self.hosts:
            self.hosts.up([5432, self.redis_port])
        venv = ROOT / ".venv" / "bin"
        subprocess.run(
            [str(venv / "python"), "manage.py", "migrate", "-v0"], cwd=ROOT, env=self.env(),
            check=True,
        )  # fmt: skip
        self.spawn(
            [str(venv / "gunicorn"), "portal.wsgi", "--bind", f"{self.web_host}:{self.web_port}",
             "--workers", "2", "--timeout", "120", "--access-logfile", "/dev/null"],
            "pweb",
        )  # fmt: skip
        self.spawn(
            [str(venv / "celery"), "-A", "portal", "beat", "--loglevel", "WARNING",
             "--schedule", str(self.var / "celerybeat-schedule")],
            "pweb",
        )  # fmt: skip
        self.start_worker("first", "pwork1")
        if self.hosts:
            self.start_worker("second", "pwork2")
        wait_port(self.web_host, self.web_port, 60)

    def stop(self) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        if self.redis:
            self.redis.kill()
        if self.hosts:
            self.hosts.down()

    # --- the database, read as an auditor would -------------------------------------------------
    def query(self, sql: str) -> list[tuple[object, ...]]:
        url = f"postgres://postgres@127.0.0.1:5432/{self.db}"
        with psycopg.connect(url, autocommit=True) as connection:
            return list(connection.execute(sql).fetchall())

    def counts(self) -> dict[str, int]:
        rows = self.query("SELECT status, count(*) FROM annotation_submission GROUP BY status")
        return {str(status): int(str(n)) for status, n in rows}

    def active(self) -> bool:
        states = ", ".join(f"'{s}'" for s in ACTIVE)
        rows = self.query(f"SELECT count(*) FROM annotation_submission WHERE status IN ({states})")
        return int(str(rows[0][0])) > 0

    def unfinished(self) -> int:
        states = ", ".join(f"'{s}'" for s in FINAL)
        rows = self.query(
            f"SELECT count(*) FROM annotation_submission WHERE status NOT IN ({states})"
        )
        return int(str(rows[0][0]))


def submit(stack: Stack, texts: int, audios: int) -> None:
    client = ApiClient(f"http://{stack.web_host}:{stack.web_port}")
    client.sign_up_and_make_key()
    for n in range(texts):
        words = " ".join(PARAGRAPHS[(n + k) % len(PARAGRAPHS)] for k in range(8))
        status, body = client.request("POST", "/api/v1/submissions/", {"text": f"{n}. {words}"})
        if status not in (201, 202):
            raise RuntimeError(f"text job {n}: {status} {body}")
    with tempfile.TemporaryDirectory() as folder:
        for n in range(audios):
            clip = Path(folder) / f"clip-{n}.wav"
            synthesize(" ".join(SPOKEN[(n + k) % len(SPOKEN)] for k in range(3)), clip)
            status, body = client.upload(
                "/api/v1/submissions/audio/", "file", clip.name, clip.read_bytes()
            )
            if status not in (201, 202):
                raise RuntimeError(f"audio job {n}: {status} {body}")


def wait_for(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def kill_faults(stack: Stack, kills: int, jobs: int) -> tuple[list[str], float]:
    """Kills the worker in the middle of jobs, spread over the run; restarts Redis once.

    Kill n waits until n / (kills + 1) of the jobs are done and one is running, so that faults
    keep coming until near the end. Returns what was done and when the last fault happened.
    """
    log: list[str] = []
    last = time.monotonic()
    for n in range(1, kills + 1):
        due = jobs * n // (kills + 1)
        worker = stack.workers["first"]

        def ready(due: int = due, worker: subprocess.Popen[bytes] = worker) -> bool:
            return stack.counts().get("done", 0) >= due and bool(children(worker.pid))

        if not wait_for(ready, 600) or not wait_for(stack.active, 120):
            log.append(f"kill {n}: no job running any more; stopped")
            break
        if n % 4 == 0:  # a quarter of the kills: 5 of 20
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
            stack.start_worker("first")
            log.append(f"kill {n}: whole worker (parent and child), {stack.counts()}")
        else:
            pool = children(worker.pid)
            for child in pool:
                os.kill(child, signal.SIGKILL)
            log.append(f"kill {n}: pool child {pool}, {stack.counts()}")
        last = time.monotonic()
        if n == kills // 2:
            queued = stack.counts().get("queued", 0)
            stack.restart_redis()
            last = time.monotonic()
            log.append(f"Redis restarted empty with {queued} jobs queued")
        print(log[-1], flush=True)
    return log, last


def cut_faults(stack: Stack) -> tuple[list[str], float]:
    """Cuts the first worker host's link while it holds a job; restores it later."""
    assert stack.hosts

    def first_holds_a_job() -> bool:
        pids = children(stack.workers["first"].pid)
        if not pids:
            return False
        holders = ", ".join(f"'{socket.gethostname()}:{pid}'" for pid in pids)
        sql = f"SELECT count(*) FROM annotation_submission WHERE claimed_by IN ({holders})"
        return int(str(stack.query(sql)[0][0])) > 0

    if not wait_for(first_holds_a_job, 180):
        return ["the first worker never held a job: nothing cut"], time.monotonic()
    stack.hosts.cut("pwork1")
    last = time.monotonic()
    log = ["link of pwork1 cut while its worker held a job"]
    time.sleep(stack.args.cut_seconds)
    stack.hosts.restore("pwork1")
    log.append(f"link of pwork1 restored after {stack.args.cut_seconds:.0f} s")
    return log, last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=100)
    parser.add_argument("--audios", type=int, default=10)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--hosts", action="store_true", help="web and two workers on 3 hosts")
    parser.add_argument("--cut-seconds", type=float, default=120.0)
    parser.add_argument("--timeout", type=float, default=900.0, help="to wait after the faults")
    parser.add_argument("--database", default="parlure_chaos")
    args = parser.parse_args()

    stack = Stack(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the stack on a timeout too
    try:
        started = time.monotonic()
        stack.start()
        submit(stack, args.texts, args.audios)
        print(f"{args.texts} text and {args.audios} audio jobs submitted", flush=True)
        if args.hosts:
            log, last_fault = cut_faults(stack)
            print("\n".join(log), flush=True)
        else:
            _log, last_fault = kill_faults(stack, args.kills, args.texts + args.audios)
        finished = wait_for(lambda: stack.unfinished() == 0, args.timeout)
        settled = time.monotonic()
        report(stack, finished, settled - last_fault, settled - started)
        return 0 if finished else 1
    finally:
        stack.stop()


def report(stack: Stack, finished: bool, after_fault: float, total: float) -> None:
    counts = stack.counts()
    duplicated = stack.query(
        "SELECT count(*) FROM (SELECT submission_id, segment_id FROM annotation_prediction "
        "GROUP BY submission_id, segment_id HAVING count(*) > 1) AS twice"
    )[0][0]
    unlabelled = stack.query(
        "SELECT count(*) FROM annotation_submission WHERE status = 'done' "
        "AND current_prediction_id IS NULL"
    )[0][0]
    attempts = stack.query("SELECT max(attempts) FROM annotation_submission")[0][0]
    reasons = stack.query(
        "SELECT failure_reason, count(*) FROM annotation_submission WHERE status = 'failed' "
        "GROUP BY failure_reason"
    )
    print(f"jobs by state: {counts}")
    print(f"stuck (not final): {stack.unfinished()}")
    print(f"duplicated predictions (same job or segment twice): {duplicated}")
    print(f"done without a label: {unlabelled}")
    print(f"most attempts of one job: {attempts}")
    for reason, n in reasons:
        print(f"failed x{n}: {reason}")
    verdict = "every job final" if finished else "NOT every job final"
    print(f"{verdict}; {after_fault:.0f} s from the last fault; {total:.0f} s in all")


if __name__ == "__main__":
    sys.exit(main())

"""The champion's answer with a challenger in shadow and without: does the shadow slow it down?

Against ``BENCH_SHADOW=1 bash bench/serve.sh`` (the shipped model as champion v1 and again as
challenger v2, a low-priority worker on the shadow queue), this submits texts through the API as
a client would (POST /api/v1/submissions/, then polls its status until the label is there) and
times submission to label. It alternates blocks with the shadow off (share 0) and on (share 1:
every text is scored by the challenger too), so the machine's other load falls on both alike,
and prints p50/p95 for each and the ratio. The share is set with ``manage.py model_shadow`` on
the bench's database (the same environment as serve.sh).

    BENCH_SHADOW=1 bash bench/serve.sh          # then, in another shell:
    .venv/bin/python bench/shadow_latency.py --base-url http://127.0.0.1:8200 --runs 40
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from api_client import ApiClient

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "Je vous saurais gré de bien vouloir me communiquer les pièces manquantes.",
    "Le bus passe toutes les dix minutes devant la mairie.",
    "T'as vu l'heure ? On se casse, ça craint ici.",
    "Pourriez-vous m'indiquer le chemin de la gare, je vous prie ?",
    "Ouais bon, j'ai pas trop capté ce qu'il voulait, le keum.",
]


def manage(*args: str) -> str:
    """A management command on the bench's database, in serve.sh's environment."""
    var_dir = os.environ.get("PARLURE_VAR_DIR", "var/bench")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/"
        + os.environ.get("BENCH_DB", "parlure_bench"),
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/" + os.environ.get("BENCH_BROKER_DB", "13"),
        "PARLURE_VAR_DIR": var_dir,
        "MLFLOW_TRACKING_URI": f"sqlite:///{ROOT / var_dir / 'mlflow' / 'mlflow.db'}",
    }
    command = [str(ROOT / ".venv/bin/python"), "manage.py", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def shadow_count() -> int:
    code = "from learning.models import ShadowPrediction; print(ShadowPrediction.objects.count())"
    return int(manage("shell", "-v", "0", "-c", code).splitlines()[-1])


def shadow_drain(expected: int, timeout: float = 300) -> int:
    """Wait for the shadow worker to score what the "on" block sent: turning the share off
    drops the jobs still queued, and an "off" block must not run beside the last ones."""
    deadline = time.monotonic() + timeout
    while (stored := shadow_count()) < expected and time.monotonic() < deadline:
        time.sleep(2)
    return stored


def submit_to_label(api: ApiClient, text: str, poll: float) -> float:
    started = time.perf_counter()
    status, body = api.request(
        "POST", "/api/v1/submissions/", {"text": text, "client_token": str(uuid.uuid4())}
    )
    if status not in (200, 201, 202):
        raise RuntimeError(f"submission refused: {status} {body}")
    while True:
        _status, state = api.request("GET", f"/api/v1/submissions/{body['id']}/status/")
        if state["finished"]:
            if state["status"] != "done":
                raise RuntimeError(f"job ended {state['status']}")
            return time.perf_counter() - started
        time.sleep(poll)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8200")
    parser.add_argument("--runs", type=int, default=40, help="texts per condition")
    parser.add_argument("--block", type=int, default=10, help="texts per block before switching")
    parser.add_argument("--warm-up", type=int, default=3, help="untimed texts first")
    parser.add_argument("--challenger", default="2", help="registry version in shadow")
    parser.add_argument("--poll", type=float, default=0.02, help="seconds between status polls")
    args = parser.parse_args()

    api = ApiClient(args.base_url)
    api.sign_up_and_make_key()
    print(manage("model_shadow", args.challenger, "0"))
    for index in range(args.warm_up):
        submit_to_label(api, TEXTS[index % len(TEXTS)], args.poll)

    timings: dict[str, list[float]] = {"off": [], "on": []}
    sent = 0
    while min(len(v) for v in timings.values()) < args.runs:
        for condition, share in (("off", "0"), ("on", "1")):
            print(manage("model_shadow", args.challenger, share), flush=True)
            block = []
            for _ in range(min(args.block, args.runs - len(timings[condition]))):
                text = TEXTS[sent % len(TEXTS)]
                sent += 1
                block.append(submit_to_label(api, text, args.poll))
            timings[condition].extend(block)
            print(
                f"  block of {len(block)} with the shadow {condition}: "
                f"p50 {statistics.median(block) * 1000:.0f} ms  p95 {p95(block) * 1000:.0f} ms",
                flush=True,
            )
            if condition == "on":
                stored = shadow_drain(len(timings["on"]))
                print(f"  shadow predictions stored: {stored}", flush=True)
    print(manage("model_shadow", args.challenger, "0"))
    for condition, values in timings.items():
        print(
            f"shadow {condition:3s}: n={len(values)} p50 {statistics.median(values) * 1000:.0f} ms"
            f"  p95 {p95(values) * 1000:.0f} ms  max {max(values) * 1000:.0f} ms"
        )
    ratio = p95(timings["on"]) / p95(timings["off"])
    median_ratio = statistics.median(timings["on"]) / statistics.median(timings["off"])
    print(f"p95 on/off: {ratio:.3f}  p50 on/off: {median_ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

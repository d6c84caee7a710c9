"""Requests per second the API answers on a simple authenticated endpoint (GET /api/v1/me/).

Against a running portal: signs up a throw-away account, makes an API key, then sends
``--requests`` GETs with the key from ``--clients`` threads, each on its own keep-alive connection,
after a short warm-up. Prints the rate and the latency percentiles; every answer must be 200.

    .venv/bin/python bench/api_rate.py --base-url http://127.0.0.1:8000 --requests 3000 --clients 4

The portal's own per-person throttle (PARLURE_API_RATE_USER, 600/minute by default) would answer
429 long before a benchmark's rate: start the portal with a higher rate to measure the server.
Standard library only.
"""

import argparse
import statistics
import sys
import threading
import time

from api_client import ApiClient, keep_alive_connection


def worker(base_url: str, key: str, count: int, path: str, latencies: list[float],
           failures: list[int]) -> None:  # fmt: skip
    connection = keep_alive_connection(base_url)
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        if response.status != 200:
            failures.append(response.status)
    connection.close()


def run(
    base_url: str, key: str, total: int, clients: int, path: str
) -> tuple[float, list[float], list[int]]:
    latencies: list[float] = []
    failures: list[int] = []
    per_client = total // clients
    threads = [
        threading.Thread(target=worker, args=(base_url, key, per_client, path, latencies, failures))
        for _ in range(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--path", default="/api/v1/me/")
    args = parser.parse_args()

    key = ApiClient(args.base_url).sign_up_and_make_key()
    run(args.base_url, key, 100, args.clients, args.path)  # warm-up: connections, caches
    elapsed, latencies, failures = run(args.base_url, key, args.requests, args.clients, args.path)
    latencies.sort()
    done = len(latencies)
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[max(0, round(0.95 * done) - 1)] * 1000
    print(f"GET {args.path}: {done} requests from {args.clients} clients in {elapsed:.2f} s")
    print(f"rate {done / elapsed:.0f} requests/s; latency p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    if failures:
        print(f"{len(failures)} answers were not 200: {sorted(set(failures))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

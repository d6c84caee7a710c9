"""Submit-to-label latency, measured from outside like a person's browser would see it.

Against a running portal (``make run``), this signs up a throw-away account, then for each text:
posts the submission form, follows the redirect, and polls the result page's status endpoint
until the label is there. It prints each latency and the median, 95th percentile and maximum.

    .venv/bin/python bench/submit_latency.py --base-url http://127.0.0.1:8000 --runs 20

Standard library only, so it runs with any Python 3.11.
"""

import argparse
import http.cookiejar
import json
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request
import uuid

TEXTS = [
    "Je vous saurais gré de bien vouloir me communiquer les pièces manquantes.",
    "Le bus passe toutes les dix minutes devant la mairie.",
    "T'as vu l'heure ? On se casse, ça craint ici.",
    "Pourriez-vous m'indiquer le chemin de la gare, je vous prie ?",
    "Ouais bon, j'ai pas trop capté ce qu'il voulait, le keum.",
]


class Browser:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base_url + path, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[str, str]:
        _url, page = self.get(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1), **fields}).encode()
        request = urllib.request.Request(
            self.base_url + path, data=data, headers={"Referer": self.base_url + path}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--poll", type=float, default=0.02, help="seconds between status polls")
    args = parser.parse_args()

    browser = Browser(args.base_url)
    password = uuid.uuid4().hex
    browser.post_form(
        "/compte/inscription/",
        {"email": f"bench-{uuid.uuid4().hex[:10]}@example.org", "display_name": "Bench",
         "password1": password, "password2": password},
    )  # fmt: skip

    latencies = []
    for run in range(args.runs):
        text = TEXTS[run % len(TEXTS)]
        started = time.perf_counter()
        url, _page = browser.post_form(
            "/soumissions/nouvelle/", {"text": text, "client_token": str(uuid.uuid4())}
        )
        # What the result page polls: the API's status of the submission.
        status_path = (
            "/api/v1"
            + urllib.parse.urlparse(url).path.replace("/soumissions/", "/submissions/", 1)
            + "status/"
        )
        while True:
            _url, body = browser.get(status_path)
            data = json.loads(body)
            if data["finished"]:
                break
            time.sleep(args.poll)
        elapsed = time.perf_counter() - started
        latencies.append(elapsed)
        print(
            f"run {run + 1:3d}: {elapsed * 1000:7.0f} ms  {data['status']:7s} "
            f"{data['label'] or '-':9s} {text[:50]}"
        )

    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    median = statistics.median(latencies)
    print(
        f"\nsubmit-to-label over {len(latencies)} runs: median {median:.3f} s, "
        f"p95 {p95:.3f} s, max {latencies[-1]:.3f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

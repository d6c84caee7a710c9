"""Time to annotate a 1,000-line corpus through the API: import a CSV, wait, export it annotated.

Against a running portal with its worker(s): signs up a throw-away account, makes an API key,
creates a corpus, uploads a CSV of ``--lines`` French sentences (the project's two independent
evaluation sets and its seed sentences, cycled to the length asked), polls the import until every
line is finished, then exports the corpus as CSV. Prints the import time, the time until the last
label, the rate, and how many exported rows carry a label. As a side figure, it also prints the
agreement of those labels with the gold labels of the lines taken from the independent sets
(hesitant predictions count as neutre, as the portal shows them).

    .venv/bin/python bench/corpus_annotate.py --base-url http://127.0.0.1:8000 --lines 1000

Standard library only.
"""

import argparse
import csv
import io
import itertools
import sys
import time
from pathlib import Path

from api_client import ApiClient

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    ROOT / "parlure_ml/register/eval/independent-v1.tsv",
    ROOT / "parlure_ml/register/eval/independent-v2.tsv",
    ROOT / "parlure_ml/register/data/seed.tsv",
]


def sentences() -> list[tuple[str, str, bool]]:
    """(text, gold label, from an independent set) for every source line."""
    rows = []
    for source in SOURCES:
        with source.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                rows.append((row["text"], row["label"], source.parent.name == "eval"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between progress polls")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()

    lines = list(itertools.islice(itertools.cycle(sentences()), args.lines))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["text"])
    writer.writerows([text] for text, _label, _independent in lines)
    payload = buffer.getvalue().encode()

    client = ApiClient(args.base_url)
    client.sign_up_and_make_key()
    status, corpus = client.request("POST", "/api/v1/corpora/", {"name": "Benchmark corpus"})
    if status != 201:
        print(f"corpus creation failed: {status} {corpus}", file=sys.stderr)
        return 1
    corpus_path = f"/api/v1/corpora/{corpus['id']}"

    started = time.perf_counter()
    status, batch = client.upload(f"{corpus_path}/imports/", "file", "corpus.csv", payload)
    imported = time.perf_counter() - started
    if status != 201:
        print(f"import failed: {status} {batch}", file=sys.stderr)
        return 1
    print(
        f"import of {len(lines)} lines ({len(payload) / 1024:.0f} KB): answered in "
        f"{imported:.2f} s, {batch['items_accepted']} accepted, {batch['items_rejected']} rejected"
    )
    while True:
        status, batch = client.request("GET", f"{corpus_path}/imports/{batch['id']}/")
        progress = batch["progress"]
        if progress["finished"]:
            break
        if time.perf_counter() - started > args.timeout:
            print(f"not finished after {args.timeout:.0f} s: {progress}", file=sys.stderr)
            return 1
        time.sleep(args.poll)
    elapsed = time.perf_counter() - started
    print(
        f"all {progress['total']} lines finished {elapsed:.1f} s after the upload "
        f"({progress['total'] / elapsed:.1f} lines/s): {progress['done']} done, "
        f"{progress['failed']} failed"
    )

    started = time.perf_counter()
    exported = client.download(f"{corpus_path}/export/?file_format=csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    print(
        f"export: {len(rows)} rows in {time.perf_counter() - started:.2f} s, "
        f"{sum(1 for row in rows if row.get('label'))} with a label"
    )
    gold = {text: label for text, label, independent in lines if independent}
    scored = [(row["label"], gold[row["text"]]) for row in rows if row["text"] in gold]
    if scored:
        agree = sum(label == truth for label, truth in scored) / len(scored)
        print(f"agreement with the gold labels of {len(scored)} independent-set lines: {agree:.3f}")
    return 0 if progress["failed"] == 0 and len(rows) == len(lines) else 1


if __name__ == "__main__":
    sys.exit(main())

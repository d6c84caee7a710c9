"""The portal's corpus throughput against the model's own, measured in one run on one machine.

1. The model alone: the register model (the one the portal serves: $PARLURE_REGISTER_MODEL, else
   the champion) classifies the corpus's lines in one batched ``predict`` call, without
   explanations (best of ``--model-runs``): lines/s and sentences/s. Also in chunks of
   ``--chunk`` texts, one call each, as an import's task sends them.
2. The portal: the same lines uploaded as a CSV import to a running portal (``bench/serve.sh``),
   polled until the last one is labelled: lines/s, from the upload to the last label.
3. The model alone again, then the ratio: how much of the model's throughput (the mean of the
   two one-call measures) the portal delivers on a corpus.

The model is timed while the portal's worker is idle, so the two do not compete; timing it
before and after shows how much the machine's own load moved meanwhile.

    bash bench/serve.sh &    # a portal and one nlp worker
    .venv/bin/python bench/ratios.py --base-url http://127.0.0.1:8200 --lines 1000
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api_client import ApiClient
from corpus_annotate import sentences


def model_seconds(texts: list[str], runs: int, chunk: int | None = None) -> float:
    """Best seconds to predict() all texts without explanations: one call, or one per chunk."""
    from parlure_ml.register import get_classifier

    classifier = get_classifier()
    classifier.predict(texts[:32])  # warm-up
    size = chunk or len(texts)
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        for start in range(0, len(texts), size):
            classifier.predict(texts[start : start + size], explain=False)
        best = min(best, time.perf_counter() - started)
    return best


def model_line(texts: list[str], sentence_count: int, seconds: float, how: str) -> str:
    return (
        f"model alone, {how}, no explanations: {len(texts)} lines ({sentence_count} sentences) "
        f"in {seconds:.2f} s: {len(texts) / seconds:.1f} lines/s, "
        f"{sentence_count / seconds:.1f} sentences/s"
    )


def portal_throughput(base_url: str, texts: list[str], poll: float, timeout: float) -> float:
    """Seconds from the upload of the import to its last label; raises if any line failed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["text"])
    writer.writerows([text] for text in texts)
    client = ApiClient(base_url)
    client.sign_up_and_make_key()
    status, corpus = client.request("POST", "/api/v1/corpora/", {"name": "Ratio benchmark"})
    if status != 201:
        raise RuntimeError(f"corpus creation failed: {status} {corpus}")
    corpus_path = f"/api/v1/corpora/{corpus['id']}"
    started = time.perf_counter()
    status, batch = client.upload(
        f"{corpus_path}/imports/", "file", "corpus.csv", buffer.getvalue().encode()
    )
    if status != 201:
        raise RuntimeError(f"import failed: {status} {batch}")
    while True:
        _status, batch = client.request("GET", f"{corpus_path}/imports/{batch['id']}/")
        if batch["progress"]["finished"]:
            break
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"not finished after {timeout:.0f} s: {batch['progress']}")
        time.sleep(poll)
    elapsed = time.perf_counter() - started
    if batch["progress"]["failed"]:
        raise RuntimeError(f"some lines failed: {batch['progress']}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8200")
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--model-runs", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=256, help="PARLURE_IMPORT_CHUNK_SIZE")
    parser.add_argument("--poll", type=float, default=0.5)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()

    texts = [text for text, _l, _i in itertools.islice(itertools.cycle(sentences()), args.lines)]
    from parlure_ml.register import get_classifier
    from parlure_ml.register.sentences import sentence_spans

    sentence_count = sum(len(sentence_spans(text)) for text in texts)
    print(f"model {get_classifier().model_version}, {len(texts)} lines")
    before = model_seconds(texts, args.model_runs)
    print(model_line(texts, sentence_count, before, "one batched call (before)"))
    chunked = model_seconds(texts, args.model_runs, args.chunk)
    print(model_line(texts, sentence_count, chunked, f"one call per {args.chunk} lines"))
    portal_s = portal_throughput(args.base_url, texts, args.poll, args.timeout)
    print(
        f"portal, upload to last label: {len(texts)} lines in {portal_s:.1f} s: "
        f"{len(texts) / portal_s:.1f} lines/s, {sentence_count / portal_s:.1f} sentences/s"
    )
    after = model_seconds(texts, args.model_runs)
    print(model_line(texts, sentence_count, after, "one batched call (after)"))
    model_s = (before + after) / 2
    print(
        f"ratio portal/model: {model_s / portal_s:.2f} of the one-call throughput, "
        f"{chunked / portal_s:.2f} of the chunked one (1.00: the portal adds no cost)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

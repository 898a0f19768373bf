"""Bench: account lookups against the seeded local endpoint (`make run`'s), per picker.

    python -m tests.support.bench_resources [--repeats 20]     # on its own
    python -m tests.support.bench --only 6                      # inside `make bench`

Fresh: `lookup(kind, refresh=True)`, what a picker's refresh costs: new clients, STS for the
account, every page and per-item call, the cache write (goal from issue 11: p95 <= 500 ms).
Cached: `cached(kind)`, what a picker shows before anything answers (no network). First: the
first lookup of a kind in a process, which also makes that service's botocore client (reused after).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

from tests.support.bench import Report, Row, pct, run_alone

GOAL_FRESH_MS = 500.0
LOOKUPS = [
    ("roles", {}),
    ("buckets", {}),
    ("objects", {"uri": "s3://acme-ml-datasets/train/"}),
    ("repositories", {}),
    ("images", {"repository": "acme/churn-training"}),
    ("subnets", {}),
    ("security-groups", {}),
    ("kms-keys", {}),
]


def bench_resources(report: Report, repeats: int = 20) -> None:
    from smjob.local_endpoint import start_subprocess
    from smjob.resources import cached, lookup
    from tests.support.moto_server import raw_client
    from tests.support.waiting import wait_until_sync

    saved = dict(os.environ)
    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
    with tempfile.TemporaryDirectory(prefix="smjob-bench-resources-") as tmp:
        os.environ["SMJOB_CACHE_DIR"] = tmp
        endpoint = start_subprocess()  # seeded in the child, as for `make run`
        try:
            ecr = raw_client(endpoint, "ecr")
            wait_until_sync(lambda: ecr.describe_repositories()["repositories"], timeout=60, what="the seed")
            target = endpoint.target()
            for kind, params in LOOKUPS:
                start = time.perf_counter()
                lookup(kind, target, refresh=True, **params)  # the first of the app: makes the service's client
                first = (time.perf_counter() - start) * 1000
                fresh, hits = [], []
                for _ in range(repeats):
                    start = time.perf_counter()
                    lookup(kind, target, refresh=True, **params)
                    fresh.append((time.perf_counter() - start) * 1000)
                    start = time.perf_counter()
                    assert cached(kind, target, **params) is not None
                    hits.append((time.perf_counter() - start) * 1000)
                p95 = pct(fresh, 95)
                report.add(
                    Row(
                        f"6. {kind}: fresh lookup p95 (local endpoint)",
                        p95,
                        goal=f"<= {GOAL_FRESH_MS:.0f} ms",
                        ok=p95 <= GOAL_FRESH_MS,
                        note=f"median {pct(fresh, 50):.1f} ms",
                    )
                )
                report.add(Row(f"6. {kind}: cached p95", pct(hits, 95)))
                report.add(Row(f"6. {kind}: first lookup (makes the client)", first))
        finally:
            endpoint.stop()
            os.environ.clear()
            os.environ.update(saved)
    report.conditions.append(
        f"6: {repeats} lookups per kind after one warm-up, against the seeded local endpoint (moto) on loopback."
    )


def main(argv: list[str] | None = None) -> int:
    return run_alone("bench_resources", bench_resources, argv)


if __name__ == "__main__":
    sys.exit(main())

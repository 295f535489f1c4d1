"""Exporting a million audited labels as a snapshot: rows per second and peak memory.

    .venv/bin/python bench/export_bench.py [--format preference] [--repeats 3]

Uses the database of bench/agreement_bench.py (1,000,000 preference labels, 25,000 of them
audited; run that first). Each export runs in a fresh subprocess through the real service
(`snapshot_create`), so the peak resident memory it reports (ru_maxrss) is that export's alone,
Django and all. Writes `export_rows_per_s` (median, TRL preference JSONL with the gold-overrides
policy) and `export_peak_mb` (the highest of the runs), plus the other formats' figures, to
bench/results/export.json.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile

from _django import ROOT, write_results

DATABASE = "postgres://postgres@127.0.0.1:5432/cai_audit_agreement_bench_1m"

CHILD = """
import json, os, resource, sys, time
sys.path.insert(0, "bench")
from _django import setup
setup(sys.argv[1])
from django.conf import settings
settings.SNAPSHOT_DIR = sys.argv[3]
from training.services.snapshots import snapshot_create
started = time.perf_counter()
snapshot = snapshot_create(actor=None, name="bench", fmt=sys.argv[2], policy="gold_overrides",
                           label_kind="preference")
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rows": snapshot.rows, "labels": snapshot.stats["labels_matched"],
                  "seconds": seconds, "peak_mb": peak_mb, "bytes": snapshot.size_bytes}))
snapshot.delete()
"""


def export_once(fmt: str, database: str = DATABASE) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            [sys.executable, "-c", CHILD, database, fmt, folder],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--formats", nargs="+", default=["preference", "audit_parquet", "audit_csv"]
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--database", default=DATABASE, help="a database built by agreement_bench.generate"
    )
    args = parser.parse_args()
    figures = {}
    for fmt in args.formats:
        runs = [export_once(fmt, args.database) for _ in range(args.repeats)]
        rates = [run["labels"] / run["seconds"] for run in runs]
        peak = max(run["peak_mb"] for run in runs)
        print(
            f"{fmt}: {runs[0]['labels']:,} labels -> {runs[0]['rows']:,} rows, "
            f"{runs[0]['bytes'] / 1e6:.0f} MB; median {statistics.median(rates):,.0f} labels/s "
            f"({', '.join(f'{r:,.0f}' for r in rates)}); peak {peak:.0f} MB"
        )
        key = "" if fmt == "preference" else f"_{fmt}"
        figures[f"export_rows_per_s{key}"] = round(statistics.median(rates))
        figures[f"export_peak_mb{key}"] = round(peak, 1)
    print(f"wrote {write_results('export', figures)}: {figures}")


if __name__ == "__main__":
    main()

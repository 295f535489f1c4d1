"""Label ingestion throughput on PostgreSQL: a file of preference labels through the import
service (JSONL and Parquet, each in a child process whose peak RSS is measured), and the
streaming API under 4 concurrent clients against gunicorn, every batch sent twice.

    .venv/bin/python bench/ingest_bench.py [--rows 1000000] [--repeats 3] [--api-rows 200000]
        [--rules 5] [--skip-file] [--skip-api]

Writes bench/results/ingest.json: ingest_file_rows_per_s and ingest_file_peak_mb (JSONL, the
headline), ingest_parquet_rows_per_s and ingest_parquet_peak_mb, ingest_api_rows_per_s,
ingest_duplicates (medians of the repeats); with --rules N, the API again with N active Poisson
review rules on the source: ingest_api_rows_per_s_with_rules and ingest_rules_overhead (rows/s
without rules / with). Uses its own database, cai_ingest_bench.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _django import ROOT, setup, write_results

BENCH_URL = "postgres://postgres@127.0.0.1:5432/cai_ingest_bench"
DATA = ROOT / "var" / "ingest_bench"  # generated files, kept between runs
SOURCE, JUDGE, CONSTITUTION = "bench-source", "bench-judge", "Bench constitution"
CODES = ("HARM-01", "HARM-02", "HON-01", "HELP-01")


def preference_row(n: int) -> dict:
    return {
        "id": f"label-{n}",
        "prompt": f"User question number {n}: how should I handle situation {n % 97}?",
        "response_a": f"A careful, harmless answer to question {n}. " * 3,
        "response_b": f"A less careful answer to question {n}. " * 3,
        "p_a_first": (n % 100) / 100, "p_a_second": ((n * 7) % 100) / 100,
        "principle": CODES[n % 4],
        "domain": ["medical", "legal", "general", "finance"][n % 4],
        "harm_category": ["violence", "fraud", "privacy", "none"][n % 4],
        "locale": ["en-US", "de-DE"][n % 2],
        "high_stakes": n % 10 == 0,
    }  # fmt: skip


def write_files(rows: int) -> tuple[Path, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    jsonl, parquet = DATA / f"labels-{rows}.jsonl", DATA / f"labels-{rows}.parquet"
    if not jsonl.exists():
        with jsonl.open("w") as out:
            for n in range(rows):
                out.write(json.dumps(preference_row(n)) + "\n")
    if not parquet.exists():
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        for start in range(0, rows, 100_000):
            table = pa.Table.from_pylist(
                [preference_row(n) for n in range(start, min(rows, start + 100_000))]
            )
            writer = writer or pq.ParquetWriter(parquet, table.schema)
            writer.write_table(table)
        writer.close()
    return jsonl, parquet


def fixtures() -> None:
    from constitutions import services
    from constitutions.models import Constitution
    from labeling.models import Judge, LabelSource

    if not Constitution.objects.filter(name=CONSTITUTION).exists():
        constitution = services.constitution_create(actor=None, name=CONSTITUTION, owners=[])
        version = constitution.versions.get(number=1)
        for code in CODES:
            services.principle_create(
                actor=None, version=version, code=code, title=code, category="harmlessness",
                priority=10, critique_request=f"Find how it breaks {code}.",
                revision_instruction=f"Rewrite it to follow {code}.",
            )  # fmt: skip
        services.version_publish(actor=None, version=version, changelog="bench")
    judge, _ = Judge.objects.get_or_create(name=JUDGE, defaults={"model": "bench/judge-1"})
    LabelSource.objects.get_or_create(key=SOURCE, defaults={"name": "Bench", "judge": judge})


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    parent across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_import(path: str) -> None:
    """Run in a child process: import the file, print seconds and peak RSS as JSON."""
    from ingest.selectors import source_get, version_for_import
    from ingest.services.imports import labels_import

    started = time.perf_counter()
    result = labels_import(
        actor=None, source=source_get(key=SOURCE), kind="preference", data=Path(path),
        filename=Path(path).name, version=version_for_import(constitution=CONSTITUTION),
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak_mb = _peak_rss_mb()
    print(json.dumps({"seconds": seconds, "rows": result.count, "peak_mb": peak_mb,
                      "item_set": result.item_set.pk}))  # fmt: skip


def _item_set_drop(item_set_id: int) -> None:
    """Delete an imported set in SQL (Django's cascade would load a million labels first)."""
    from django.db import connection, transaction

    runs = "SELECT id FROM labeling_labelingrun WHERE item_set_id = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("labeling_preferencelabel", "labeling_labeltally"):
            cursor.execute(f"DELETE FROM {table} WHERE run_id IN ({runs})", [item_set_id])  # noqa: S608
        cursor.execute("DELETE FROM labeling_labelingrun WHERE item_set_id = %s", [item_set_id])
        cursor.execute("DELETE FROM labeling_item WHERE item_set_id = %s", [item_set_id])
        cursor.execute("DELETE FROM labeling_itemset WHERE id = %s", [item_set_id])


def measure_file(path: Path, repeats: int) -> tuple[float, float]:
    timings, peaks = [], []
    for repeat in range(repeats):
        out = subprocess.run(
            [sys.executable, __file__, "--child-import", str(path)],
            capture_output=True, text=True, check=True, env=os.environ,
        )  # fmt: skip
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        timings.append(figures["seconds"])
        peaks.append(figures["peak_mb"])
        print(f"{path.name} repeat {repeat}: {figures['rows']:,} rows in "
              f"{figures['seconds']:.2f} s, peak {figures['peak_mb']:.0f} MB")  # fmt: skip
        _item_set_drop(figures["item_set"])
    return statistics.median(timings), statistics.median(peaks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child-import")
    parser.add_argument("--skip-file", action="store_true")
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--api-rows", type=int, default=200_000)
    parser.add_argument("--rules", type=int, default=0, help="active rules for the API's 2nd pass")
    args = parser.parse_args()
    os.environ.setdefault("BENCH_DATABASE_URL", BENCH_URL)
    if args.child_import:
        sys.path.insert(0, str(ROOT))
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cai_audit.settings")
        os.environ.setdefault(
            "SECRET_KEY", "bench-only-not-secret-5d0c9a7e3b1f8642a0c4e6b2d8f1a3c5"
        )
        import django

        django.setup()
        child_import(args.child_import)
        return
    setup(os.environ["BENCH_DATABASE_URL"])
    fixtures()
    figures: dict = {}
    if not args.skip_file:
        jsonl, parquet = write_files(args.rows)
        seconds, peak = measure_file(jsonl, args.repeats)
        figures |= {"ingest_file_rows_per_s": round(args.rows / seconds),
                    "ingest_file_peak_mb": round(peak), "ingest_file_rows": args.rows}  # fmt: skip
        seconds, peak = measure_file(parquet, args.repeats)
        figures |= {"ingest_parquet_rows_per_s": round(args.rows / seconds),
                    "ingest_parquet_peak_mb": round(peak)}  # fmt: skip
    if not args.skip_api:
        from ingest_api_bench import measure_api

        figures |= measure_api(
            rows=args.api_rows, repeats=args.repeats, source=SOURCE, rules=args.rules
        )
    path = write_results("ingest", figures)
    print(json.dumps(figures, indent=2), f"-> {path}")


if __name__ == "__main__":
    main()

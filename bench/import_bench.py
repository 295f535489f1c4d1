"""Import throughput: 100,000 rows of JSONL into PostgreSQL through the import service.

    .venv/bin/python bench/import_bench.py [--rows 100000] [--repeats 3]

Writes `import_rows_per_s` (median of the repeats) to bench/results/critic.json.
"""

import argparse
import json
import statistics
import time

from _django import setup, write_results


def make_rows(count: int) -> bytes:
    lines = []
    for n in range(count):
        lines.append(json.dumps({
            "id": f"row-{n}",
            "prompt": f"User question number {n}: how should I handle situation {n % 97}?",
            "response_a": f"A careful, harmless answer to question {n}. " * 3,
            "response_b": f"A less careful answer to question {n}. " * 3,
            "preferred": "AB"[n % 2],
            "domain": ["medical", "legal", "general", "finance"][n % 4],
            "harm_category": ["violence", "fraud", "privacy", "none"][n % 4],
            "locale": ["en-US", "de-DE"][n % 2],
            "high_stakes": n % 10 == 0,
        }))  # fmt: skip
    return "\n".join(lines).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    setup()
    from labeling.models import ItemSet
    from labeling.services.items import item_set_import

    data = make_rows(args.rows)
    timings = []
    for repeat in range(args.repeats):
        started = time.perf_counter()
        item_set = item_set_import(
            actor=None, name=f"bench {repeat}", data=data, filename="b.jsonl"
        )
        timings.append(time.perf_counter() - started)
        assert item_set.item_count == args.rows
        print(f"repeat {repeat}: {args.rows} rows in {timings[-1]:.2f} s")
    ItemSet.objects.filter(name__startswith="bench ").delete()
    median = statistics.median(timings)
    path = write_results(
        "critic",
        {"import_rows_per_s": round(args.rows / median), "import_rows": args.rows,
         "import_seconds_median": round(median, 2)},
    )  # fmt: skip
    print(f"median {median:.2f} s -> {args.rows / median:,.0f} rows/s ({path})")


if __name__ == "__main__":
    main()

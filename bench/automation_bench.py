"""What automation rules add to ingestion: 1,000-label batches written as an importer writes them
(items, labels with their tallies), then the active rules applied to the batch (the
labels_arrived receiver's work), on PostgreSQL.

    .venv/bin/python bench/automation_bench.py [--batches 10] [--rules 5] [--rate 0.05]

Prints the median milliseconds of the write and of the rules per batch, and their ratio
(write + rules) / write: an upper bound of `ingest_rules_overhead`, since the API's parsing and
validation (not timed here) add to the time without rules. Writes `automation_rules_ms_per_1000`
and `automation_write_ms_per_1000` to bench/results/automation.json.
"""

import argparse
import statistics
import time

from _django import setup, write_results

BATCH = 1000
CODES = ["HARM-01", "HARM-02", "HON-01", "HELP-01"]


def fixtures(rule_count: int, rate: float = 0.05):
    from django.contrib.auth import get_user_model

    from automation.models import AutomationRule
    from automation.services.rules import rule_create
    from constitutions.models import ConstitutionVersion
    from labeling.models import Judge, LabelSource

    version = ConstitutionVersion.objects.filter(status="published").first()
    if version is None:
        from config.demo import demo_users_load
        from constitutions.demo import demo_constitution_load

        version = demo_constitution_load(owner=demo_users_load()["policy"]).versions.get(number=2)
    users = get_user_model().objects
    admin = users.filter(username="bench-admin").first() or users.create_superuser(
        "bench-admin", "bench@example.org", "bench-password-not-used"
    )
    reviewers = [users.get_or_create(username=f"bench-rev{n}")[0] for n in range(2)]
    judge, _ = Judge.objects.get_or_create(name="bench-judge", defaults={"model": "bench"})
    source, _ = LabelSource.objects.get_or_create(key="bench", defaults={"judge": judge})
    AutomationRule.objects.filter(name__startswith="bench ").update(paused=True)
    filters = [
        {"sources": [source.pk]},
        {"principle_codes": ["HARM-01", "HARM-02"]},
        {"domains": ["medical", "legal"]},
        {"categories": ["harmlessness"], "sources": [source.pk]},
        {},
    ]
    for n in range(rule_count):
        rule_create(
            actor=admin, name=f"bench {time.time_ns()} {n}", label_kind="preference",
            mode="poisson", rate=rate, label_filter=filters[n % len(filters)],
            confidence_max=0.95 if n == 2 else None, reviewers=reviewers, overlap=2,
        )  # fmt: skip
    return version, source


def write_batch(version, source, number: int):
    """One batch as an importer writes it: an item set, its items, a run and its labels."""
    import numpy as np

    from labeling.models import Item, ItemSet, LabelingRun, PreferenceLabel
    from labeling.services.processing import labels_save

    rng = np.random.default_rng(number)
    item_set = ItemSet.objects.create(name=f"bench arrival {time.time_ns()}", item_count=BATCH)
    items = Item.objects.bulk_create(
        Item(item_set=item_set, line=n + 1, kind="pair", prompt=[{"role": "user", "content": "q"}],
             response_a="a", response_b="b", domain=["medical", "legal", "general"][n % 3])
        for n in range(BATCH)
    )  # fmt: skip
    run = LabelingRun.objects.create(
        constitution_version=version, item_set=item_set, origin="import", judge=source.judge,
        source=source, task="preference", status="done", total_units=BATCH,
    )  # fmt: skip
    labels = []
    for n, item in enumerate(items):
        p = float(rng.uniform(0.05, 0.95))
        labels.append(
            PreferenceLabel(
                run=run, item=item, principle_code=CODES[n % 4], domain=item.domain,
                principle_category="helpfulness" if n % 4 == 3 else "harmlessness",
                model_id="bench", p_a_first=p, p_a_second=p, p_a=p, confidence=max(p, 1 - p),
                margin=abs(2 * p - 1), entropy=0.5, position_stuck=False, option_mass=0.9,
                choice="A" if p > 0.5 else "B",
            )
        )  # fmt: skip
    labels_save(PreferenceLabel, labels)
    ids = list(PreferenceLabel.objects.filter(run=run).values_list("id", flat=True))
    return run, ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--rules", type=int, default=5)
    parser.add_argument("--rate", type=float, default=0.05, help="each rule's p")
    args = parser.parse_args()
    setup()
    from automation.services.arrival import rules_apply_arrived

    version, source = fixtures(args.rules, args.rate)
    writes, applies, sent = [], [], 0
    for number in range(args.batches):
        start = time.perf_counter()
        run, ids = write_batch(version, source, number)
        writes.append(time.perf_counter() - start)
        start = time.perf_counter()
        result = rules_apply_arrived(kind="preference", runs=[run.pk], label_ids=ids)
        applies.append(time.perf_counter() - start)
        sent += sum(result.values())
    write_ms, apply_ms = statistics.median(writes) * 1000, statistics.median(applies) * 1000
    print(f"{args.rules} rules at p = {args.rate}, {args.batches} batches of {BATCH}: "
          f"write {write_ms:.0f} ms, rules {apply_ms:.0f} ms (median), "
          f"ratio {(write_ms + apply_ms) / write_ms:.3f}, "
          f"{sent} labels sent")  # fmt: skip
    write_results(
        "automation",
        {"automation_rules_ms_per_1000": round(apply_ms, 1),
         "automation_write_ms_per_1000": round(write_ms, 1)},
    )  # fmt: skip


if __name__ == "__main__":
    main()

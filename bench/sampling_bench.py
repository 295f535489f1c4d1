"""Drawing review samples from large label populations, on PostgreSQL.

    .venv/bin/python bench/sampling_bench.py [--sizes 100000 1000000] [--repeats 3]

Generates synthetic preference labels (in SQL, one run per size), then times a 1,000-label
hybrid draw (stratified by principle x domain + probability proportional to uncertainty) through
the real service. Writes `sample_1m_s` (median) and the other sizes to bench/results/sampling.json.
"""

import argparse
import statistics
import time

from _django import setup, write_results

CODES = ["HARM-01", "HARM-02", "HARM-03", "HARM-04", "HON-01", "HON-02", "HELP-01", "HELP-02"]


def generate(run_name: str, size: int):
    """A run with `size` labels on as many items, written by two INSERT ... SELECT statements."""
    from django.db import connection

    from constitutions.models import ConstitutionVersion
    from labeling.models import CriticConfig, ItemSet, LabelingRun

    existing = LabelingRun.objects.filter(item_set__name=run_name).first()
    if existing is not None:
        return existing
    version = ConstitutionVersion.objects.filter(status="published").first()
    if version is None:
        from config.demo import demo_users_load
        from constitutions.demo import demo_constitution_load

        version = demo_constitution_load(owner=demo_users_load()["policy"]).versions.get(number=2)
    critic, _ = CriticConfig.objects.get_or_create(
        name="bench", defaults={"backend": "transformers", "model": "smollm2-135m-instruct"}
    )
    item_set = ItemSet.objects.create(name=run_name, item_count=size)
    run = LabelingRun.objects.create(
        constitution_version=version, item_set=item_set, critic=critic, task="preference",
        status="done", total_units=size,
    )  # fmt: skip
    codes = "ARRAY[" + ",".join(f"'{code}'" for code in CODES) + "]"
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO labeling_item (item_set_id, line, kind, external_id, prompt, response_a,
                 response_b, human_choice, domain, harm_category, locale, high_stakes, source,
                 metadata)
               SELECT %s, n, 'pair', '', '[{"role":"user","content":"q"}]'::jsonb, 'a', 'b',
                 CASE WHEN n %% 2 = 0 THEN 'A' ELSE 'B' END,
                 (ARRAY['medical','legal','general','finance','education'])[1 + n %% 5],
                 '', (ARRAY['en-US','de-DE','fr-FR'])[1 + n %% 3], n %% 20 = 0, 'bench', '{}'::jsonb
               FROM generate_series(1, %s) AS n""",
            [item_set.pk, size],
        )
        cursor.execute(
            f"""INSERT INTO labeling_preferencelabel (run_id, item_id, principle_code,
                 principle_category, principle_locale, domain, locale, harm_category, high_stakes,
                 model_id, sampling, latency_ms, created_at,
                 p_a_first, p_a_second, p_a, confidence, margin, entropy, position_stuck,
                 option_mass, choice)
               SELECT %s, i.id, ({codes})[1 + i.line %% {len(CODES)}], 'harmlessness', '',
                 i.domain, i.locale, i.harm_category, i.high_stakes, 'bench',
                 '{{}}'::jsonb, 0, now(), r.p1, r.p2, (r.p1 + r.p2) / 2,
                 greatest((r.p1 + r.p2) / 2, 1 - (r.p1 + r.p2) / 2), abs(r.p1 + r.p2 - 1), 0.5,
                 (r.p1 > 0.5) = (r.p2 < 0.5), 0.9,
                 CASE WHEN r.p1 + r.p2 > 1 THEN 'A' ELSE 'B' END
               FROM labeling_item i, LATERAL (SELECT random() AS p1, random() AS p2) r
               WHERE i.item_set_id = %s""",
            [run.pk, item_set.pk],
        )
        cursor.execute("ANALYZE labeling_item; ANALYZE labeling_preferencelabel;")
    return run


def time_draw(run, repeats: int) -> list[float]:
    from labeling.filters import LabelFilter
    from reviews.models import ReviewSample
    from reviews.services.samples import sample_draw

    timings = []
    for repeat in range(repeats):
        started = time.perf_counter()
        sample = sample_draw(
            actor=None, name=f"bench {repeat}", label_kind="preference", strategy="hybrid",
            n=1000, seed=repeat, where=LabelFilter(runs=(run.pk,)),
            strata_fields=("principle", "domain"), measure="least_confidence",
            options={"uncertainty_share": 0.5, "minimum": 5},
        )  # fmt: skip
        timings.append(time.perf_counter() - started)
        assert 900 <= sample.sample_size <= 1000, sample.sample_size
        size, population = sample.sample_size, sample.population_size
        print(f"  draw {repeat}: {size} of {population} in {timings[-1]:.2f} s")
    ReviewSample.objects.filter(name__startswith="bench ").delete()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    setup()
    figures = {}
    for size in args.sizes:
        started = time.perf_counter()
        run = generate(f"bench labels {size}", size)
        print(f"{size} labels ready in {time.perf_counter() - started:.1f} s")
        median = statistics.median(time_draw(run, args.repeats))
        label = "1m" if size == 1_000_000 else f"{size // 1000}k"
        figures[f"sample_{label}_s"] = round(median, 3)
        print(f"{size}: median {median:.2f} s")
    path = write_results("sampling", figures)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

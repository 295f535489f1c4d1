"""The agreement overview at scale, on PostgreSQL, and the coverage of the weighted interval.

    .venv/bin/python bench/agreement_bench.py [--labels 1000000] [--reviews 50000] [--repeats 7]

Generates (once, in its own database `cai_audit_agreement_bench_1m`) a million synthetic AI
preference labels over 13 principles, 2 constitution versions, 2 critics and 12 weeks, a sample
of 25,000 of them reviewed twice (50,000 human reviews), gold labels where the two reviewers
agree and adjudications where they do not, all written by INSERT ... SELECT. Then times the
overview page (a full GET through Django, as a review lead) with the cache cleared before each
request (cold) and without (warm), and runs the 200-repetition coverage simulation.

Writes `overview_ms_1m` (median with nothing cached), `overview_after_review_ms_1m` (right after
a review lands: every cached result is stale but the AI label counts, which depend on labels
only), `overview_warm_ms_1m`, `ci_coverage` (the lower of the
uncertainty and hybrid designs) and both designs' figures to bench/results/agreement.json.
"""

import argparse
import statistics
import time

from _django import setup, write_results

DATABASE = "postgres://postgres@127.0.0.1:5432/cai_audit_agreement_bench_{size}"
CODES = [f"HARM-{n:02d}" for n in range(1, 8)] + ["HON-01", "HON-02", "HON-03"]
CODES += ["HELP-01", "HELP-02", "PRIV-01"]


def generate(labels: int, reviews: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from constitutions.models import ConstitutionVersion
    from labeling.models import CriticConfig, ItemSet, LabelingRun, PreferenceLabel
    from reviews.models import ReviewSample

    if PreferenceLabel.objects.count() == labels and ReviewSample.objects.exists():
        return
    from config.demo import demo_users_load
    from constitutions.demo import demo_constitution_load

    users = demo_users_load()
    versions = list(
        demo_constitution_load(owner=users["policy"]).versions.order_by("number")
    ) or list(ConstitutionVersion.objects.all())
    critics = [
        CriticConfig.objects.get_or_create(
            name=name, defaults={"backend": "transformers", "model": "smollm2-135m-instruct"}
        )[0]
        for name in ("bench-small", "bench-large")
    ]
    item_set = ItemSet.objects.create(name="agreement bench", item_count=labels)
    runs = [
        LabelingRun.objects.create(
            constitution_version=version, item_set=item_set, critic=critic, task="preference",
            status="done", total_units=labels // 4,
        )
        for version in versions[:2] for critic in critics
    ]  # fmt: skip
    codes = "ARRAY[" + ",".join(f"'{code}'" for code in CODES) + "]"
    run_ids = "ARRAY[" + ",".join(str(run.pk) for run in runs) + "]"
    User = get_user_model()
    reviewer_ids = [users["reviewer"].pk, users["reviewer2"].pk]
    lead = User.objects.get(username="lead")
    every = max(1, labels // (reviews // 2))
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO labeling_item (item_set_id, line, kind, external_id, prompt, response_a,
                 response_b, human_choice, domain, harm_category, locale, high_stakes, source,
                 metadata)
               SELECT %s, n, 'pair', '', '[{"role":"user","content":"q"}]'::jsonb, 'a', 'b',
                 CASE WHEN n %% 2 = 0 THEN 'A' ELSE 'B' END,
                 (ARRAY['medical','legal','general','finance','education'])[1 + n %% 5],
                 (ARRAY['violence','fraud','privacy',''])[1 + n %% 4],
                 (ARRAY['en-US','de-DE','fr-FR'])[1 + n %% 3], n %% 20 = 0, 'bench', '{}'::jsonb
               FROM generate_series(1, %s) AS n""",
            [item_set.pk, labels],
        )
        cursor.execute(
            f"""INSERT INTO labeling_preferencelabel (run_id, item_id, principle_code,
                 principle_category, principle_locale, domain, locale, harm_category, high_stakes,
                 model_id, sampling, latency_ms, created_at,
                 p_a_first, p_a_second, p_a, confidence, margin, entropy, position_stuck,
                 option_mass, choice)
               SELECT ({run_ids})[1 + i.line %% 4], i.id, ({codes})[1 + i.line %% {len(CODES)}],
                 'harmlessness', '', i.domain, i.locale, i.harm_category, i.high_stakes, 'bench',
                 '{{}}'::jsonb, 0, now() - ((i.line %% 12) * interval '7 days'),
                 r.p1, r.p2, (r.p1 + r.p2) / 2,
                 greatest((r.p1 + r.p2) / 2, 1 - (r.p1 + r.p2) / 2), abs(r.p1 + r.p2 - 1), 0.5,
                 (r.p1 > 0.5) = (r.p2 < 0.5), 0.9,
                 CASE WHEN r.p1 + r.p2 > 1 THEN 'A' ELSE 'B' END
               FROM labeling_item i, LATERAL (SELECT random() AS p1, random() AS p2) r
               WHERE i.item_set_id = %s""",
            [item_set.pk],
        )
        sample = ReviewSample.objects.create(
            name="bench audit", label_kind="preference", strategy="hybrid", seed=0,
            population_size=labels, sample_size=reviews // 2, created_by=lead,
        )  # fmt: skip
        cursor.execute(
            """INSERT INTO reviews_sampledlabel (sample_id, kind, label_id, stratum,
                 inclusion_probability, score, principle_code, principle_category, domain, locale,
                 harm_category, constitution_version_id, critic_id, ai_choice, ai_confidence,
                 position_stuck, labeled_at)
               SELECT %s, 'preference', l.id, l.principle_code,
                 0.01 + 0.04 * (1 - l.confidence) * 2,
                 1 - l.confidence, l.principle_code, l.principle_category, l.domain, l.locale,
                 l.harm_category, r.constitution_version_id, r.critic_id, l.choice, l.confidence,
                 l.position_stuck, l.created_at
               FROM labeling_preferencelabel l JOIN labeling_labelingrun r ON r.id = l.run_id
               WHERE l.id %% %s = 0""",
            [sample.pk, every],
        )
        cursor.execute(
            """INSERT INTO reviews_reviewqueue (sample_id, name, overlap, blind, claim_timeout_s,
                 created_at, created_by_id) VALUES (%s, 'bench', 2, true, 600, now(), %s)
               RETURNING id""",
            [sample.pk, lead.pk],
        )
        queue_id = cursor.fetchone()[0]
        cursor.execute(
            """INSERT INTO reviews_reviewslot (queue_id, sampled_label_id, seat, status,
                 reviewer_id, claimed_at, position)
               SELECT %s, s.id, seat, 'done', (%s::int[])[seat], now(), s.id
               FROM reviews_sampledlabel s, generate_series(1, 2) AS seat
               WHERE s.sample_id = %s""",
            [queue_id, reviewer_ids, sample.pk],
        )
        # Humans agree with the AI more often when it is confident and not position-stuck.
        cursor.execute(
            """INSERT INTO reviews_review (slot_id, sampled_label_id, reviewer_id, preference,
                 ai_correct, principle_at_stake, corrected_revision, rationale, seconds_spent,
                 created_at)
               SELECT t.id, t.sampled_label_id, t.reviewer_id, v.preference,
                 v.preference = s.ai_choice, '', '', '', 5 + random() * 20, now()
               FROM reviews_reviewslot t JOIN reviews_sampledlabel s ON s.id = t.sampled_label_id,
               LATERAL (SELECT CASE
                 WHEN random() < 0.45 + 0.5 * s.ai_confidence - 0.2 * s.position_stuck::int
                   THEN s.ai_choice
                 WHEN s.ai_choice = 'A' THEN 'B' ELSE 'A' END AS preference) v
               WHERE t.queue_id = %s""",
            [queue_id],
        )
        cursor.execute(
            """INSERT INTO reviews_goldlabel (sampled_label_id, preference, ai_correct, source,
                 rationale, created_at)
               SELECT sampled_label_id, MIN(preference), BOOL_AND(ai_correct), 'agreement', '',
                 now()
               FROM reviews_review GROUP BY sampled_label_id
               HAVING COUNT(DISTINCT preference) = 1""",
        )
        cursor.execute(
            """INSERT INTO reviews_adjudication (sampled_label_id, status, created_at)
               SELECT sampled_label_id, 'open', now() FROM reviews_review
               GROUP BY sampled_label_id HAVING COUNT(DISTINCT preference) > 1""",
        )
        cursor.execute("ANALYZE")
    from labeling.services.tallies import tally_rebuild

    tally_rebuild(run_ids=[run.pk for run in runs])  # the SQL load bypassed the write path


def time_overview(repeats: int, *, mode: str) -> list[float]:
    """mode "cold": nothing cached; "review": a review just landed, so every cached result
    is stale except the AI label counts (they depend on the labels only); "warm": cached."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from dashboards.scope import Scope
    from dashboards.selectors import label_counts, overview

    client = Client()
    client.force_login(get_user_model().objects.get(username="lead"))
    timings = []
    for _ in range(repeats):
        if mode != "warm":
            cache.clear()
        if mode == "review":
            label_counts(scope=Scope(), by="principle")
        started = time.perf_counter()
        response = client.get("/dashboards/", HTTP_HOST="localhost")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    total = overview(scope=Scope()).total
    print(
        f"  {mode}: median {statistics.median(timings):.0f} ms "
        f"(runs {', '.join(f'{t:.0f}' for t in timings)}); {total.labels:,} labels, "
        f"{total.reviews:,} reviews, {total.gold:,} gold, agreement {total.agreement.value:.3f}"
    )
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=int, default=1_000_000)
    parser.add_argument("--reviews", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    label = "1m" if args.labels == 1_000_000 else f"{args.labels // 1000}k"
    setup(DATABASE.format(size=label))
    started = time.perf_counter()
    generate(args.labels, args.reviews)
    print(f"data ready in {time.perf_counter() - started:.1f} s")
    time_overview(1, mode="cold")  # connection and template warm-up
    cold = statistics.median(time_overview(args.repeats, mode="cold"))
    review = statistics.median(time_overview(args.repeats, mode="review"))
    warm = statistics.median(time_overview(args.repeats, mode="warm"))

    from bench.simulation import coverage_simulation

    coverage = {design: coverage_simulation(design) for design in ("uncertainty", "hybrid")}
    for design, result in coverage.items():
        print(
            f"  coverage {design}: {result.coverage:.3f} (unweighted bias "
            f"{result.unweighted_bias:+.4f} ± {result.unweighted_bias_se:.4f})"
        )
    figures = {
        f"overview_ms_{label}": round(cold, 1),
        f"overview_after_review_ms_{label}": round(review, 1),
        f"overview_warm_ms_{label}": round(warm, 1),
        "ci_coverage": min(r.coverage for r in coverage.values()),
        "ci_coverage_uncertainty": coverage["uncertainty"].coverage,
        "ci_coverage_hybrid": coverage["hybrid"].coverage,
    }
    print(f"wrote {write_results('agreement', figures)}: {figures}")


if __name__ == "__main__":
    main()

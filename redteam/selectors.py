"""Reads for red-team pages, the API and the CI command: a run's records, its rates with
intervals, the regression diff against another run, coverage, and how humans judged the judge."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from cai_audit.work.progress import Progress
from labeling.choices import VerdictClass
from stats import Estimate, wilson_interval, win_rate

from . import metrics, mutations
from .models import Batch, Case, Matchup, Run, Suite

BREAKDOWNS = ("category", "operator", "principle", "temperature")


def run_records(run: Run) -> list[dict]:
    """One record per judged answer, in the shape redteam.metrics takes."""
    rows = (
        run.responses.exclude(verdict="")
        .select_related("case")
        .values_list(
            "id", "case__external_id", "case__kind", "case__category", "case__operator",
            "case__principles", "temperature", "verdict", "p_violation",
        )
    )  # fmt: skip
    return [
        {
            "response": pk,
            "case": case,
            "kind": kind,
            "category": category,
            "operator": operator,
            "principles": principles,
            "temperature": f"T={temperature:g}",
            "verdict": verdict,
            "p_violation": p_violation,
        }  # fmt: skip
        for pk, case, kind, category, operator, principles, temperature, verdict, p_violation in (
            rows
        )
    ]


@dataclass(frozen=True)
class Report:
    answers: int
    violation: Estimate  # over harmful cases
    false_refusal: Estimate  # over benign cases
    harmful: dict[str, dict[str, Estimate]]  # breakdown -> key -> violation rate
    benign: dict[str, dict[str, Estimate]]  # breakdown -> key -> false-refusal rate


def run_report(run: Run, records: list[dict] | None = None) -> Report:
    records = run_records(run) if records is None else records
    return Report(
        answers=len(records),
        violation=metrics.overall_rate(records, kind="harmful"),
        false_refusal=metrics.overall_rate(records, kind="benign"),
        harmful={by: metrics.failure_rates(records, by=by, kind="harmful") for by in BREAKDOWNS},
        benign={by: metrics.failure_rates(records, by=by, kind="benign") for by in BREAKDOWNS},
    )


def run_previous(run: Run) -> Run | None:
    """The suite's latest finished run before this one: what the results page diffs against."""
    return (
        Run.objects.filter(
            suite_id=run.suite_id,
            status__in=[Run.Status.DONE, Run.Status.FAILED],
            created_at__lt=run.created_at,
        )  # fmt: skip
        .exclude(pk=run.pk)
        .order_by("-created_at")
        .first()
    )


@dataclass(frozen=True)
class Regression:
    before: Run
    after: Run
    violation_by_category: list[metrics.Change]
    violation_by_principle: list[metrics.Change]
    violation_by_operator: list[metrics.Change]
    false_refusal_by_category: list[metrics.Change]

    @property
    def worse(self) -> list[tuple[str, metrics.Change]]:
        """Every significantly worse key, labelled with what it is."""
        found = []
        for label, changes in (
            ("violations in category", self.violation_by_category),
            ("violations under principle", self.violation_by_principle),
            ("violations under operator", self.violation_by_operator),
            ("false refusals in category", self.false_refusal_by_category),
        ):
            found += [(label, change) for change in changes if change.worse]
        return found


def run_regression(before: Run, after: Run, after_records: list[dict] | None = None) -> Regression:
    """Which categories, principle codes and operators got worse from `before` to `after`
    (one-sided two-proportion tests, Holm-adjusted within each breakdown). Pass
    `after_records` when the caller has read them already."""
    old = run_records(before)
    new = run_records(after) if after_records is None else after_records
    return Regression(
        before=before,
        after=after,
        violation_by_category=metrics.compare_runs(old, new, by="category"),
        violation_by_principle=metrics.compare_runs(old, new, by="principle"),
        violation_by_operator=metrics.compare_runs(old, new, by="operator"),
        false_refusal_by_category=metrics.compare_runs(old, new, by="category", kind="benign"),
    )


def run_progress(run: Run) -> Progress:
    """Answers judged out of the run's total, with answers given and batches over."""
    counts = dict(run.batches.values_list("status").annotate(n=Count("id")))
    finished = sum(
        counts.get(s, 0) for s in (Batch.Status.DONE, Batch.Status.FAILED, Batch.Status.SKIPPED)
    )
    answers = run.responses.count()
    judged = run.responses.exclude(verdict="").count()
    total = run.total_units or 0
    failed = counts.get(Batch.Status.FAILED, 0)
    label = f"{judged} of {total} answers judged · {answers} answered · batches {finished}/"
    label += f"{run.total_batches}" + (f" · {failed} failed" if failed else "")
    return Progress(
        done=judged, total=total, status=run.status, status_label=run.get_status_display(),
        finished=run.is_finished, label=label, unit="answers",
        details={"answers": answers, "judged": judged, "batches_done": finished,
                 "batches_failed": failed},
    )  # fmt: skip


def suite_coverage(suite: Suite) -> dict:
    """Category x operator: seeds, and variants per operator (the mutation coverage table)."""
    rows = suite.cases.values_list("category", "kind", "operator").annotate(n=Count("id"))
    table: dict[str, dict[str, int]] = {}
    for category, kind, operator, n in rows:
        row = table.setdefault(
            category, {"harmful": 0, "benign": 0, **dict.fromkeys(mutations.OPERATORS, 0)}
        )
        row[operator or kind] += n
    return {"operators": mutations.OPERATORS, "rows": sorted(table.items())}


def suites_list() -> QuerySet[Suite]:
    return Suite.objects.annotate(
        seeds=Count("cases", filter=Q(cases__operator="")),
        variants=Count("cases", filter=~Q(cases__operator="")),
        run_count=Count("runs", distinct=True),
    )


def suite_principles(suite: Suite) -> list[str]:
    codes: set[str] = set()
    for principles in suite.cases.filter(operator="").values_list("principles", flat=True):
        codes.update(principles)
    return sorted(codes)


def judge_audit(run: Run) -> dict:
    """How reviewers judged this run's verdicts: sampled, with gold, and the judge's agreement
    with the gold labels (Wilson interval)."""
    from reviews.models import SampledLabel

    from .kinds import VERDICT

    sampled = SampledLabel.objects.filter(kind=VERDICT, label_id__in=run.verdicts.values("id"))
    gold = list(sampled.filter(gold__isnull=False).values_list("gold__ai_correct", flat=True))
    verdicts = run.verdicts.aggregate(
        n=Count("id"), stuck=Count("id", filter=Q(position_stuck=True))
    )
    return {
        "sampled": sampled.count(),
        "gold": len(gold),
        "agreement": wilson_interval(sum(gold), len(gold)),
        # A judge that picks the same letter whatever the order reports its position bias, not
        # the answer: rates built on such verdicts say little until humans audit them.
        "position_stuck": wilson_interval(verdicts["stuck"], verdicts["n"]),
    }


def matchups_of(run: Run) -> list[dict]:
    rows = []
    for matchup in Matchup.objects.filter(Q(run_x=run) | Q(run_y=run)).select_related(
        "run_x", "run_y"
    ):
        estimate = None
        if matchup.status == Matchup.Status.DONE:
            estimate = win_rate(
                [j["p_x_first"] for j in matchup.judgments],
                [j["p_x_second"] for j in matchup.judgments],
            )
        rows.append({"matchup": matchup, "win_rate": estimate})
    return rows


def case_counts(run: Run) -> dict[str, int]:
    """Seeds and variants the run covers (for its header)."""
    cases = Case.objects.filter(responses__run=run).distinct()
    return {
        "seeds": cases.filter(operator="").count(),
        "variants": cases.exclude(operator="").count(),
    }


# Reads for the pages and the API.


def suite_runs(suite: Suite, *, limit: int = 50) -> list[dict]:
    """The suite's latest runs, each with its headline violation and false-refusal rates."""
    judged = ~Q(responses__verdict="")
    runs = suite.runs.select_related("target", "judge", "constitution_version__constitution")
    runs = runs.annotate(
        harmful=Count("responses", filter=judged & Q(responses__case__kind=Case.Kind.HARMFUL)),
        violations=Count(
            "responses",
            filter=Q(
                responses__case__kind=Case.Kind.HARMFUL, responses__verdict=VerdictClass.VIOLATION
            ),
        ),
        benign=Count("responses", filter=judged & Q(responses__case__kind=Case.Kind.BENIGN)),
        refusals=Count(
            "responses",
            filter=Q(
                responses__case__kind=Case.Kind.BENIGN, responses__verdict=VerdictClass.REFUSAL
            ),
        ),
    )
    return [
        {
            "run": run,
            "violation": wilson_interval(run.violations, run.harmful),
            "false_refusal": wilson_interval(run.refusals, run.benign),
        }
        for run in runs.order_by("-created_at")[:limit]
    ]


def suite_seeds(suite: Suite, *, limit: int = 200) -> list[Case]:
    """The suite's first seeds by id, each with how many variants it has (`variant_count`)."""
    seeds = suite.cases.filter(operator="").annotate(variant_count=Count("variants"))
    return list(seeds.order_by("external_id")[:limit])


def runs_finished(suite: Suite, *, exclude: Run | None = None, done_only: bool = False):
    """The suite's finished runs (done, or done with failed batches), newest first: what a run
    can be compared with. `done_only` keeps only runs that finished cleanly (win rates)."""
    statuses = [Run.Status.DONE] if done_only else [Run.Status.DONE, Run.Status.FAILED]
    runs = Run.objects.filter(suite=suite, status__in=statuses).select_related("target")
    if exclude is not None:
        runs = runs.exclude(pk=exclude.pk)
    return runs.order_by("-created_at")


def run_responses(run: Run) -> QuerySet:
    return run.responses.select_related("case").order_by("case__external_id", "temperature")


def critic_shipped():
    """The shipped model's configuration if it exists (the default target and judge); None
    otherwise. A read: unlike labeling's critic_config_default, it creates nothing."""
    from labeling.models import CriticConfig
    from labeling.services.critics import DEFAULT_CRITIC_NAME

    return CriticConfig.objects.filter(name=DEFAULT_CRITIC_NAME).first()


def version_newest_published():
    from constitutions.models import ConstitutionVersion

    published = ConstitutionVersion.objects.filter(status=ConstitutionVersion.Status.PUBLISHED)
    return published.order_by("-published_at", "-pk").first()

"""From aggregated cells to the numbers on the dashboards, each with its uncertainty.

Pure: takes the small lists of dicts that `queries` returns and calls the statistics of
the `stats` package. Nothing here sees a database row per label.
"""

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from labeling import kinds
from stats import (
    CalibrationBin,
    Estimate,
    PositionBias,
    calibration_from_bins,
    fleiss_kappa,
    hajek_rate_from_sums,
    horvitz_thompson_from_sums,
    kappa_estimate_from_matrix,
    krippendorff_alpha_from_counts,
    position_bias,
    two_proportion_drift,
    wilson_interval,
)

CRITIQUE_VERDICTS = ["agree", "disagree"]  # what reviewers of a kind without choices agree on
BINS = 10


class _Choices(Mapping):
    """Label kind -> (what the AI chooses among, what humans choose among), for the registered
    kinds where both make a choice: those get a confusion matrix, kappa, calibration and
    position bias. Read from labeling.kinds at each use (kinds register at start-up)."""

    def _described(self):
        return {kind.key: kind for kind in kinds.all() if kind.has_choices}

    def __getitem__(self, key: str) -> tuple[list[str], list[str]]:
        kind = self._described()[key]
        return list(kind.ai_choices), list(kind.human_choices)

    def __iter__(self):
        return iter(self._described())

    def __len__(self) -> int:
        return len(self._described())


CHOICES = _Choices()


def human_categories(kind: str) -> list[str]:
    """The categories two reviewers can agree on: their choice, or (critiques) agree/disagree."""
    return CHOICES[kind][1] if kind in CHOICES else CRITIQUE_VERDICTS


@dataclass
class GroupStats:
    key: object
    labels: int | None = None
    stuck_share: Estimate | None = None
    reviews: int = 0
    review_agreement: Estimate = field(default_factory=lambda: wilson_interval(0, 0))
    gold: int = 0
    agreement: Estimate = field(default_factory=lambda: wilson_interval(0, 0))
    kappa: Estimate | None = None
    ece: float | None = None
    calibration: list[CalibrationBin] = field(default_factory=list)
    bias: PositionBias | None = None
    weighted_error: Estimate | None = None
    confusion: list[list[int]] | None = None


def _by_group(rows: list[dict]) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row["group"]].append(row)
    return grouped


def cells_stats(
    key, cells: list[dict], reviews: dict | None, labels: dict | None, *, kind: str, weighted: bool
) -> GroupStats:
    """One group's numbers from its gold cells, its review counts and its AI label counts."""
    stats = GroupStats(key=key)
    gold = sum(c["n"] for c in cells)
    agree = sum(c["n"] for c in cells if c["ai_correct"])
    stats.gold, stats.agreement = gold, wilson_interval(agree, gold)
    if reviews:
        stats.reviews = reviews["n"]
        stats.review_agreement = wilson_interval(reviews["agree"], reviews["n"])
    if labels:
        stats.labels = labels["n"]
        if kind in CHOICES:
            stats.stuck_share = wilson_interval(labels["stuck"], labels["n"])
    if weighted and gold:
        errors = [c for c in cells if not c["ai_correct"]]
        stats.weighted_error = hajek_rate_from_sums(
            gold,
            sum(c["sum_w"] for c in cells),
            sum(c["sum_w"] for c in errors),
            sum(c["sum_w2"] for c in errors),
            sum(c["sum_w2"] for c in cells),
        )
    if kind not in CHOICES:
        return stats
    ai_choices, human_choices = CHOICES[kind]
    matrix = np.zeros((len(ai_choices), len(human_choices)), dtype=np.int64)
    count, confidence, correct = np.zeros(BINS), np.zeros(BINS), np.zeros(BINS)
    stuck = {True: [0, 0], False: [0, 0]}  # stuck -> [agree, n]
    for c in cells:
        ai, human = c["ai_choice"], c["human_choice"]
        if ai in ai_choices and human in human_choices:
            matrix[ai_choices.index(ai), human_choices.index(human)] += c["n"]
        if c["bin"] is not None:
            count[c["bin"]] += c["n"]
            confidence[c["bin"]] += c["sum_confidence"] or 0.0
            correct[c["bin"]] += c["n"] if c["ai_correct"] else 0
        stuck[bool(c["stuck"])][0] += c["n"] if c["ai_correct"] else 0
        stuck[bool(c["stuck"])][1] += c["n"]
    stats.confusion = matrix.tolist()
    if matrix.sum():
        # Kappa needs one set of categories: the AI's are the first of the humans'.
        square = np.zeros((len(human_choices), len(human_choices)), dtype=np.int64)
        square[: len(ai_choices)] = matrix
        stats.kappa = kappa_estimate_from_matrix(square)
    if count.sum():
        stats.calibration, stats.ece = calibration_from_bins(count, confidence, correct, bins=BINS)
    stats.bias = position_bias(
        labels["n"] if labels else 0,
        labels["stuck"] if labels else 0,
        stuck[True][0],
        stuck[True][1],
        stuck[False][0],
        stuck[False][1],
    )
    return stats


def groups_stats(
    gold_cells: list[dict],
    reviews: list[dict],
    labels: list[dict],
    *,
    kind: str,
    weighted: bool = False,
) -> list[GroupStats]:
    """Every group's numbers, in key order (groups with AI labels but no review included)."""
    cells, review_by, label_by = (
        _by_group(gold_cells),
        {r["group"]: r for r in reviews},
        {r["group"]: r for r in labels},
    )
    keys = set(cells) | set(review_by) | set(label_by)
    return [
        cells_stats(
            key, cells.get(key, []), review_by.get(key), label_by.get(key),
            kind=kind, weighted=weighted,
        )
        for key in sorted(keys, key=lambda k: (k is None, str(k)))
    ]  # fmt: skip


def total_row(rows: list[dict]) -> dict | None:
    """Sum count rows of several groups into one (for the overall line)."""
    if not rows:
        return None
    return {"group": "", "n": sum(r["n"] for r in rows), **{
        key: sum(r[key] for r in rows) for key in rows[0] if key not in ("group", "n")
    }}  # fmt: skip


@dataclass
class Period:
    week: object
    agreement: Estimate


@dataclass
class Drift:
    periods: list[Period]
    p_value: float | None
    alert: bool

    @property
    def last(self) -> Period | None:
        return self.periods[-1] if self.periods else None


def drift(rows: list[dict], *, alpha: float = 0.05) -> Drift:
    """Weekly agreement and whether the latest week dropped significantly against the one
    before (one-sided two-proportion z-test, not a fixed threshold)."""
    weeks: dict = defaultdict(lambda: [0, 0])
    for row in rows:
        if row["week"] is not None:
            weeks[row["week"]][0] += row["agree"]
            weeks[row["week"]][1] += row["n"]
    periods = [Period(week, wilson_interval(a, n)) for week, (a, n) in sorted(weeks.items())]
    if len(periods) < 2:
        return Drift(periods, None, False)
    before, now = periods[-2].agreement, periods[-1].agreement
    p_value, alert = two_proportion_drift(
        round(before.value * before.n), before.n, round(now.value * now.n), now.n, alpha=alpha
    )
    return Drift(periods, None if math.isnan(p_value) else p_value, alert)


def drift_by_group(rows: list[dict], *, alpha: float = 0.05) -> dict:
    return {key: drift(group, alpha=alpha) for key, group in _by_group(rows).items()}


@dataclass
class PopulationEstimate:
    sample: int
    name: str
    strategy: str
    population: int  # labels of its population in the scope (estimated when the scope narrows)
    sampled: int  # labels drawn in the scope
    gold: int
    weighted: Estimate
    unweighted: Estimate
    estimator: str = "Horvitz-Thompson"


def population_estimates(rows: list[dict], *, narrowed: bool = False) -> list[PopulationEstimate]:
    """Per sample, the AI error rate of its population (the part in the scope when `narrowed`,
    i.e. filtered beyond the label kind and the sample), weighted by the recorded inclusion
    probabilities, next to the plain share among the reviewed labels.

    Horvitz-Thompson, sum(y/pi) / N, is unbiased only when every drawn label has gold and N is
    known. A scope that narrows to a subgroup (a principle, a version, a week...) has an unknown
    size, and a sample reviewed in part has no answer for the rest: both take the Hajek ratio
    sum(y/pi) / sum(1/pi) over the gold labels (the domain estimator, treating the unreviewed as
    missing at random; Sarndal, Swensson & Wretman 1992, sections 5.7 and 15.6), and a narrowed
    population is estimated by the sum of 1/pi over the drawn labels in the scope."""
    estimates = []
    for r in rows:
        complete = r["n"] == r["drawn"]
        if complete and not narrowed:
            weighted = horvitz_thompson_from_sums(r["n"], r["s1"], r["s2"], r["population"])
            estimator = "Horvitz-Thompson"
        else:
            weighted = hajek_rate_from_sums(r["n"], r["w"], r["s1"], r["s2"], r["w2"])
            estimator = "Hajek"
        estimates.append(
            PopulationEstimate(
                sample=r["sample"], name=r["name"], strategy=r["strategy"],
                population=round(r["drawn_w"]) if narrowed else r["population"],
                sampled=r["drawn"] if narrowed else r["sampled"], gold=r["n"],
                weighted=weighted, unweighted=wilson_interval(r["errors"], r["n"]),
                estimator=estimator,
            )
        )  # fmt: skip
    return estimates


@dataclass
class ReviewerStats:
    reviewer: int
    username: str
    reviews: int
    agree_ai: Estimate
    agree_gold: Estimate
    agree_peers: Estimate
    seconds: float | None


def reviewer_stats(counts: list[dict], pairs: list[dict]) -> list[ReviewerStats]:
    peers: dict = defaultdict(lambda: [0, 0])
    for pair in pairs:
        peers[pair["reviewer"]][0] += pair["n"] if pair["first"] == pair["second"] else 0
        peers[pair["reviewer"]][1] += pair["n"]
    return [
        ReviewerStats(
            reviewer=r["reviewer"], username=r["username"], reviews=r["n"],
            agree_ai=wilson_interval(r["agree_ai"], r["n"]),
            agree_gold=wilson_interval(r["agree_gold"], r["gold"]),
            agree_peers=wilson_interval(*peers[r["reviewer"]]),
            seconds=r["seconds"],
        )
        for r in counts
    ]  # fmt: skip


@dataclass
class InterRater:
    labels: int
    raw_agreement: Estimate
    cohen_kappa: Estimate | None
    fleiss_kappa: float | None
    krippendorff_alpha: float | None
    categories: list[str]
    confusion: list[list[int]]


def inter_rater(pairs: list[dict], patterns: list[dict], categories: list[str]) -> InterRater:
    """Human vs human: first-vs-second reviewer Cohen's kappa and raw agreement over pairs,
    Fleiss' kappa (labels with the most common number of reviews) and Krippendorff's alpha."""
    index = {c: i for i, c in enumerate(categories)}
    matrix = np.zeros((len(categories), len(categories)), dtype=np.int64)
    for pair in pairs:
        if pair["ordered"] and pair["first"] in index and pair["second"] in index:
            matrix[index[pair["first"]], index[pair["second"]]] += pair["n"]
    counts = np.array([p["counts"] for p in patterns], dtype=float).reshape(-1, len(categories))
    multiplicity = np.array([p["labels"] for p in patterns], dtype=float)
    fleiss = alpha = None
    if len(counts):
        raters = counts.sum(axis=1)
        common = np.bincount(raters.astype(int), weights=multiplicity).argmax()
        same = raters == common
        fleiss = fleiss_kappa(counts[same], multiplicity[same])
        alpha = krippendorff_alpha_from_counts(counts, multiplicity)
    pairs_total = int(matrix.sum())
    return InterRater(
        labels=int(multiplicity.sum()),
        raw_agreement=wilson_interval(int(np.trace(matrix)), pairs_total),
        cohen_kappa=kappa_estimate_from_matrix(matrix) if pairs_total else None,
        fleiss_kappa=None if fleiss is None or math.isnan(fleiss) else fleiss,
        krippendorff_alpha=None if alpha is None or math.isnan(alpha) else alpha,
        categories=categories,
        confusion=matrix.tolist(),
    )

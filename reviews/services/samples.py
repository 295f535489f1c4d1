"""Drawing review samples. The draw is reproducible from its seed and parameters, and records
each label's stratum and inclusion probability for weighted estimates later."""

from dataclasses import asdict

import numpy as np
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.bounds import numbers_check
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from cai_audit.work.jobs import ProgressReport
from labeling import kinds
from labeling.filters import LabelFilter

from .. import sampling
from ..models import ReviewSample, SampledLabel, SampleDrawJob
from ..population import MEASURES, Weights, population_load

DRAW = permissions.DRAW_SAMPLE
MAX_SAMPLE = 20_000


SPARSE_DOMAIN_REVIEWS = 20
# The kind active sampling learns on: its features are a response pair's texts and judge scores.
ACTIVE_KIND = "preference"


def _require_kind(kind: str) -> None:
    kinds.get(kind)  # DomainError naming the registered kinds


def _require_active_kind(kind: str) -> None:
    """Active sampling's model learns from reviewed preference pairs; it has no features for
    critiques or red-team verdicts."""
    if kind != ACTIVE_KIND:
        raise DomainError(
            "Active sampling learns from reviews of preference labels only; for "
            f"{kinds.get(kind).verbose_name.lower()} use uncertainty, hybrid or "
            "stratified sampling."
        )


def novelty_targets(*, kind: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """What counts as novel: the newest published version of each constitution, and the domains
    whose labels have fewer than SPARSE_DOMAIN_REVIEWS human reviews so far."""
    from django.db.models import Count, Max

    from constitutions.models import ConstitutionVersion

    from ..models import Review
    from ..population import label_queryset

    _require_kind(kind)
    newest = ConstitutionVersion.objects.filter(status="published").values("constitution_id")
    newest = newest.annotate(top=Max("number"))
    versions = tuple(
        ConstitutionVersion.objects.filter(
            constitution_id=row["constitution_id"], number=row["top"]
        ).values_list("pk", flat=True)[0]
        for row in newest
    )
    reviewed = dict(
        Review.objects.filter(sampled_label__kind=kind)
        .values_list("sampled_label__domain")
        .annotate(n=Count("id"))
        .order_by()
    )
    domain = kinds.get(kind).lookup("domain")
    domains = label_queryset(kind, LabelFilter()).order_by().values_list(domain, flat=True)
    sparse = tuple(
        domain for domain in domains.distinct() if reviewed.get(domain, 0) < SPARSE_DOMAIN_REVIEWS
    )
    return versions, sparse


def oversampling_weights(*, kind: str, high_stakes: float = 1.0, novelty: float = 1.0) -> Weights:
    """Weights for high-stakes and novel labels (novelty targets looked up only when used)."""
    versions, domains = novelty_targets(kind=kind) if novelty > 1 else ((), ())
    return Weights(
        high_stakes=high_stakes, novel_versions=versions, novel_domains=domains, novelty=novelty
    )


def label_facts(kind: str, ids: list[int]) -> dict[int, dict]:
    """The facts of the AI labels `ids`, keyed by label id, as SampledLabel field values."""
    label_kind = kinds.get(kind)
    model, mapping = label_kind.model, label_kind.facts()
    facts = {}
    for chunk in range(0, len(ids), 5000):
        rows = model.objects.filter(id__in=ids[chunk : chunk + 5000])
        for row in rows.values("id", *mapping.values()):
            facts[row["id"]] = {ours: row[theirs] for ours, theirs in mapping.items()}
    return facts


def _stratum_sd(population, options: dict) -> dict[int, float]:
    """Neyman's expected standard deviation per stratum, keyed by the population's stratum code
    (strata not named get 0.5, the largest an error rate can have)."""
    given = options.get("stratum_sd") or {}
    if not isinstance(given, dict):
        raise ValueError("stratum_sd maps a stratum name to its expected standard deviation")
    codes = {name: code for code, name in enumerate(population.stratum_names)}
    return {codes[name]: float(sd) for name, sd in given.items() if name in codes}


def _design(strategy: str, population, n: int, seed: int, options: dict) -> sampling.Sample:
    """The pure design for `strategy`; every one records each label's true inclusion
    probability, and a design that would leave a label at probability 0 raises ValueError."""
    allocation = options.get("allocation", "proportional")
    minimum = int(options.get("minimum", 0))
    floor = float(options.get("floor", 0.1))
    sizes = population.scores * population.weights
    if strategy == ReviewSample.Strategy.RANDOM:
        if np.any(population.weights != 1):
            return sampling.pps(population.weights, n, seed=seed, floor=0.0)
        return sampling.simple_random(len(population), n, seed=seed)
    if strategy == ReviewSample.Strategy.STRATIFIED:
        return sampling.stratified(
            population.strata, n, seed=seed, method=allocation, minimum=minimum,
            stratum_sd=_stratum_sd(population, options),
        )  # fmt: skip
    if strategy in (ReviewSample.Strategy.UNCERTAINTY, ReviewSample.Strategy.ACTIVE):
        return sampling.pps(sizes, n, seed=seed, floor=floor)
    if strategy == ReviewSample.Strategy.HYBRID:
        return sampling.hybrid(
            sizes, population.strata, n, seed=seed, floor=floor, method=allocation,
            minimum=minimum, uncertainty_share=float(options.get("uncertainty_share", 0.5)),
            stratum_sd=_stratum_sd(population, options),
        )  # fmt: skip
    raise DomainError(f"Unknown sampling strategy {strategy!r}.")


@transaction.atomic
def sample_draw(
    *,
    actor: AbstractBaseUser | None,
    name: str,
    label_kind: str,
    strategy: str,
    n: int,
    seed: int = 0,
    where: LabelFilter | None = None,
    strata_fields: tuple[str, ...] = ("principle",),
    measure: str = "least_confidence",
    weights: Weights | None = None,
    options: dict | None = None,
    scores: dict[int, float] | None = None,
) -> ReviewSample:
    """Draw `n` labels. `scores` (label id -> score) replaces the uncertainty measure, which is
    how active sampling passes its model's predicted disagreement."""
    permission_require(actor, DRAW, action="draw review samples")
    numbers_check(ReviewSample, seed=seed)
    _require_kind(label_kind)
    if strategy == ReviewSample.Strategy.ACTIVE:
        _require_active_kind(label_kind)
    if not 1 <= n <= MAX_SAMPLE:
        raise DomainError(f"Sample size must be between 1 and {MAX_SAMPLE}.")
    if measure not in MEASURES:
        raise DomainError(f"Unknown uncertainty measure {measure!r}; use one of {MEASURES}.")
    options = dict(options or {})
    where, weights = where or LabelFilter(), weights or Weights()
    try:
        population = population_load(
            kind=label_kind, where=where, strata_fields=strata_fields, measure=measure,
            weights=weights,
        )  # fmt: skip
    except ValueError as error:  # a measure or stratum the label kind does not have
        raise DomainError(str(error)) from None
    if not len(population):
        raise DomainError("No AI labels match this filter.")
    if scores is not None:
        population.scores = np.array([scores.get(int(i), 0.0) for i in population.ids])
    try:
        drawn = _design(strategy, population, n, seed, options)
    except (ValueError, TypeError) as error:  # options the design cannot use
        raise DomainError(str(error)) from None
    sample = ReviewSample.objects.create(
        name=name.strip() or f"{strategy} sample",
        label_kind=label_kind,
        strategy=strategy,
        seed=seed,
        population_size=len(population),
        sample_size=len(drawn),
        created_by=user_or_none(actor),
        parameters={
            "filter": where.as_dict(),
            "strata": list(strata_fields),
            "measure": measure,
            "weights": asdict(weights),
            "n": n,
            **options,
        },
    )
    facts = label_facts(label_kind, [int(population.ids[i]) for i in drawn.index])
    SampledLabel.objects.bulk_create(
        (
            SampledLabel(
                sample=sample,
                kind=label_kind,
                label_id=int(population.ids[i]),
                **facts[int(population.ids[i])],
                stratum=population.stratum_names[population.strata[i]],
                inclusion_probability=float(pi),
                score=float(population.scores[i]),
            )
            for i, pi in zip(drawn.index, drawn.inclusion_probability, strict=True)
        ),
        batch_size=2000,
    )
    audit_record(
        actor=actor,
        action="sample.drawn",
        target=sample,
        scope=f"sample:{sample.pk}",
        summary=f"Drew {len(drawn)} of {len(population)} {label_kind} labels ({strategy})",
        payload={"seed": seed, "n": n},
    )
    return sample


MIN_TRAINING_REVIEWS = 20
MAX_ACTIVE_POPULATION = 20_000


def active_reviews_check(reviews: int) -> None:
    """Active sampling learns from at least MIN_TRAINING_REVIEWS human reviews."""
    if reviews < MIN_TRAINING_REVIEWS:
        raise DomainError(
            f"Active sampling learns from human reviews: {reviews} so far, it needs "
            f"{MIN_TRAINING_REVIEWS}. Start with uncertainty or hybrid sampling."
        )


def active_population_check(size: int) -> None:
    """Active sampling embeds every candidate: at most MAX_ACTIVE_POPULATION of them."""
    if size > MAX_ACTIVE_POPULATION:
        raise DomainError(
            f"Active sampling embeds every candidate: narrow the filter to at most "
            f"{MAX_ACTIVE_POPULATION} labels (this one has {size})."
        )


EMBED_CHUNK = 256  # texts embedded between two progress reports (about a second)


def _features(labels: list, report: ProgressReport | None = None, *, done: int = 0, total: int = 0):
    """The disagreement model's features of preference `labels`; the embedding goes in chunks,
    each reported as `done + embedded` of `total` texts."""
    from ..active import LabelFeatures, embed

    texts = [
        f"{label.item.last_user_message}\nA: {label.item.response_a}\nB: {label.item.response_b}"
        for label in labels
    ]
    vectors = []
    for start in range(0, len(texts), EMBED_CHUNK):
        vectors.append(embed(texts[start : start + EMBED_CHUNK]))
        if report is not None:
            report(done + min(start + EMBED_CHUNK, len(texts)), total, "Embedding texts")
    return LabelFeatures(
        confidence=np.array([label.confidence for label in labels]),
        margin=np.array([label.margin for label in labels]),
        principle=[label.principle_code for label in labels],
        category=[label.principle_category for label in labels],
        embedding=np.vstack(vectors),
    )


def sample_draw_active(
    *,
    actor: AbstractBaseUser | None,
    name: str,
    n: int,
    seed: int = 0,
    where: LabelFilter | None = None,
    exploration: float = 0.2,
    report: ProgressReport | None = None,
) -> ReviewSample:
    """Sample preference labels where a model trained on the reviews so far predicts that a human
    would disagree with the AI; `exploration` is the PPS floor that keeps every pi above zero.
    It embeds every candidate's text, so pages and the API queue it (services/draws.py) and a
    worker calls it with `report`, which hears how many texts are embedded. Raises
    PermissionDenied, and DomainError when there are too few reviews or too many candidates."""
    from labeling.models import PreferenceLabel

    from ..active import DisagreementModel
    from ..models import Review

    permission_require(actor, DRAW, action="draw review samples")
    reviews = list(
        Review.objects.filter(sampled_label__kind=ACTIVE_KIND).select_related("sampled_label")
    )
    active_reviews_check(len(reviews))
    reviewed = PreferenceLabel.objects.select_related("item").in_bulk(
        [review.sampled_label.label_id for review in reviews]
    )
    training = [reviewed[review.sampled_label.label_id] for review in reviews]
    population = population_load(kind=ACTIVE_KIND, where=where or LabelFilter())
    active_population_check(len(population))
    total = len(training) + len(population)
    model = DisagreementModel().fit(
        _features(training, report, total=total),
        np.array([not review.ai_correct for review in reviews]),
    )
    labels = list(
        PreferenceLabel.objects.filter(pk__in=population.ids.tolist()).select_related("item")
    )
    features = _features(labels, report, done=len(training), total=total) if labels else None
    predicted = model.predict(features) if labels else np.zeros(0)
    if report is not None:
        report(total, total, "Drawing the sample")
    scores = {label.pk: float(p) for label, p in zip(labels, predicted, strict=True)}
    return sample_draw(
        actor=actor, name=name, label_kind=ACTIVE_KIND, strategy="active", n=n, seed=seed,
        where=where, scores=scores,
        options={"floor": exploration, "training_reviews": len(reviews),
                 "training_disagreement_rate": model.base_rate},
    )  # fmt: skip


def sample_draw_requested(
    *,
    actor: AbstractBaseUser | None,
    where: LabelFilter,
    name: str,
    label_kind: str,
    strategy: str,
    n: int,
    seed: int = 0,
    strata: tuple[str, ...] = ("principle",),
    measure: str = "least_confidence",
    allocation: str = "proportional",
    minimum: int = 0,
    uncertainty_share: float = 0.5,
    floor: float = 0.1,
    high_stakes_weight: float = 1.0,
    novelty_weight: float = 1.0,
) -> "ReviewSample | SampleDrawJob":
    """A draw as the page and the API ask for it: the flat options of the draw form. Drawn at
    once, except active sampling, which embeds every candidate and so is queued: its job comes
    back (services/draws.py). Raises PermissionDenied and DomainError."""
    from .draws import sample_draw_queue

    _require_kind(label_kind)
    if strategy == ReviewSample.Strategy.ACTIVE:
        _require_active_kind(label_kind)
        return sample_draw_queue(
            actor=actor, name=name, n=n, seed=seed, where=where, exploration=floor
        )
    return sample_draw(
        actor=actor,
        name=name,
        label_kind=label_kind,
        strategy=strategy,
        n=n,
        seed=seed,
        where=where,
        strata_fields=tuple(strata) or ("principle",),
        measure=measure,
        weights=oversampling_weights(
            kind=label_kind, high_stakes=high_stakes_weight, novelty=novelty_weight or 1.0
        ),
        options={
            "allocation": allocation,
            "minimum": minimum,
            "uncertainty_share": uncertainty_share,
            "floor": floor,
        },
    )

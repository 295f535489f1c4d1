"""The population a review sample is drawn from: AI labels matching a filter, as numpy arrays.

Built for a million labels: one SQL query computes each label's stratum key, uncertainty score
and oversampling weight in the database, and the rows are fetched without model instances.
"""

import io
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat

from labeling.models import CritiqueLabel, PreferenceEnsemble, PreferenceLabel
from redteam.models import Verdict

# Review label kind -> the AI label model it samples. Red-team verdicts share the labels' field
# names (run, principle, facts, confidence, margin, entropy, position_stuck), so one query fits all.
LABEL_MODELS = {"preference": PreferenceLabel, "critique": CritiqueLabel, "verdict": Verdict}

STRATA_FIELDS = {
    "principle": "principle_code",
    "category": "principle_category",
    "domain": "domain",
    "locale": "locale",
    "harm_category": "harm_category",
    "version": "run__constitution_version_id",
    "critic": "run__critic_id",
}
MEASURES = ("least_confidence", "margin", "entropy", "disagreement", "position_stuck")


@dataclass(frozen=True)
class PopulationFilter:
    runs: tuple[int, ...] = ()
    constitution_version: int | None = None
    principle_codes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    critics: tuple[int, ...] = ()
    created_from: datetime | None = None
    created_to: datetime | None = None

    def as_dict(self) -> dict:
        return {
            key: (value.isoformat() if isinstance(value, datetime) else value)
            for key, value in vars(self).items()
            if value not in ((), None)
        }


@dataclass(frozen=True)
class Weights:
    """Oversampling: labels in high-stakes domains (or flagged high-stakes), and novel labels
    (made under a newly published constitution version, or in a domain with few reviews so far),
    count `x` times in probability-proportional designs."""

    high_stakes: float = 1.0
    high_stakes_domains: tuple[str, ...] = ("medical", "legal")
    novel_versions: tuple[int, ...] = ()
    novel_domains: tuple[str, ...] = ()
    novelty: float = 1.0


@dataclass
class Population:
    ids: np.ndarray
    strata: np.ndarray  # integer stratum per label
    stratum_names: list[str]  # name of each stratum integer
    scores: np.ndarray
    weights: np.ndarray
    extra: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)


def label_queryset(kind: str, where: PopulationFilter) -> QuerySet:
    if kind not in LABEL_MODELS:
        raise ValueError(f"unknown label kind {kind!r}; use one of {', '.join(LABEL_MODELS)}")
    labels = LABEL_MODELS[kind].objects.all()
    filters = {
        "run_id__in": where.runs,
        "run__constitution_version_id": where.constitution_version,
        "principle_code__in": where.principle_codes,
        "principle_category__in": where.categories,
        "domain__in": where.domains,
        "locale__in": where.locales,
        "run__critic_id__in": where.critics,
        "created_at__gte": where.created_from,
        "created_at__lt": where.created_to,
    }
    return labels.filter(
        **{key: value for key, value in filters.items() if value not in ((), None)}
    )


def _score(kind: str, measure: str):
    if kind == "critique":
        return Value(1.0, output_field=FloatField())
    if measure == "disagreement" and kind != "preference":
        raise ValueError(
            "The disagreement measure needs an ensemble of critics, which only preference labels "
            "have; for red-team verdicts use least confidence, margin, entropy or position stuck."
        )
    if measure == "least_confidence":
        return 1.0 - F("confidence")
    if measure == "margin":
        return 1.0 - F("margin")
    if measure == "entropy":
        return F("entropy")
    if measure == "disagreement":
        ensemble = PreferenceEnsemble.objects.filter(
            run_id=OuterRef("run_id"), item_id=OuterRef("item_id")
        )
        return Coalesce(Subquery(ensemble.values("disagreement")[:1]), Value(0.0))
    if measure == "position_stuck":
        # Stuck judgments first, then the least confident of the rest.
        return Case(When(position_stuck=True, then=Value(1.0)), default=0.5 - F("margin") / 2.0)
    raise ValueError(f"unknown uncertainty measure {measure!r}")


def _weight(weights: Weights):
    never = Q(pk__isnull=True)  # a primary key is never null: the empty condition
    high = Q(high_stakes=True)
    if weights.high_stakes_domains:
        high |= Q(domain__in=weights.high_stakes_domains)
    novel = never
    if weights.novel_versions:
        novel |= Q(run__constitution_version_id__in=weights.novel_versions)
    if weights.novel_domains:
        novel |= Q(domain__in=weights.novel_domains)
    return Case(
        When(high & novel, then=Value(weights.high_stakes * weights.novelty)),
        When(high, then=Value(weights.high_stakes)),
        When(novel, then=Value(weights.novelty)),
        default=Value(1.0),
        output_field=FloatField(),
    )


def population_load(
    *,
    kind: str,
    where: PopulationFilter,
    strata_fields: tuple[str, ...] = ("principle",),
    measure: str = "least_confidence",
    weights: Weights = Weights(),
) -> Population:
    unknown = set(strata_fields) - set(STRATA_FIELDS)
    if unknown:
        raise ValueError(f"unknown strata fields: {', '.join(sorted(unknown))}")
    parts = []
    for name in strata_fields:
        if parts:
            parts.append(Value("|"))
        # As text: a version or critic id beside a text field made Concat fail (mixed types).
        parts.append(Cast(F(STRATA_FIELDS[name]), output_field=CharField()))
    stratum = Concat(*parts) if len(parts) > 1 else (parts[0] if parts else Value("all"))
    queryset = (
        label_queryset(kind, where)
        .annotate(
            stratum_key=stratum, score_value=_score(kind, measure), weight_value=_weight(weights)
        )
        .order_by()  # the model's default ordering would sort a million rows for nothing
        .values_list("id", "stratum_key", "score_value", "weight_value")
    )
    frame = _fetch(queryset)
    ids = frame["id"].to_numpy(np.int64)
    if len(ids) > 1 and np.any(ids[1:] < ids[:-1]):
        # The query has no ORDER BY (sorting a million rows in SQL costs more than here), and the
        # database's row order can change; a seed reproduces a draw only over the same order.
        frame = frame.iloc[np.argsort(ids, kind="stable")].reset_index(drop=True)
    if frame.empty:
        return Population(
            np.zeros(0, np.int64), np.zeros(0, np.int64), [], np.zeros(0), np.zeros(0)
        )
    strata, names = pd.factorize(frame["stratum"].astype(str), sort=True)
    return Population(
        ids=frame["id"].to_numpy(np.int64),
        strata=strata.astype(np.int64),
        stratum_names=[str(name) for name in names],
        scores=np.clip(frame["score"].to_numpy(float), 0.0, None),
        weights=frame["weight"].to_numpy(float),
    )


COLUMNS = ["id", "stratum", "score", "weight"]


def _fetch(queryset) -> pd.DataFrame:
    """Rows as a DataFrame. On PostgreSQL through COPY ... TO STDOUT and pandas' CSV parser: for a
    million rows several times faster than building Python tuples."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = cursor.cursor.mogrify(sql, params)
            with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)") as copy:
                data = b"".join(bytes(block) for block in copy)
            return pd.read_csv(
                io.BytesIO(data), header=None, names=COLUMNS, keep_default_na=False,
                dtype={"id": np.int64, "stratum": str, "score": float, "weight": float},
            )  # fmt: skip
        cursor.execute(sql, params)
        return pd.DataFrame(cursor.fetchall(), columns=COLUMNS)

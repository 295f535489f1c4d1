"""The population a review sample is drawn from: AI labels matching a filter, as numpy arrays.

Built for a million labels: one SQL query computes each label's stratum key, uncertainty score
and oversampling weight in the database, and the rows are fetched without model instances.
"""

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Case, CharField, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat

from labeling import kinds
from labeling.filters import LabelFilter, label_paths
from labeling.kinds import MEASURES  # noqa: F401 - the draw form's and the API's choices

# What a sample may be stratified by: dimensions every kind reaches (labeling.kinds lookups).
STRATA_FIELDS = (
    "principle", "category", "domain", "locale", "harm_category", "version", "critic", "judge",
    "source",
)  # fmt: skip


def external_not_applicable(kind: kinds.LabelKind, dimension: str) -> str:
    """Why a judge or source filter is refused for a kind whose labels never have one."""
    return (
        f"{kind.verbose_name} have no external {dimension}: the {dimension} filter does not "
        "apply to them."
    )


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

    def __len__(self) -> int:
        return len(self.ids)


def label_queryset(kind: str, where: LabelFilter) -> QuerySet:
    """The AI labels of `kind` matching `where`. Raises DomainError for an unknown kind."""
    label_kind = kinds.get(kind)
    return label_kind.model.objects.filter(where.q(label_paths(label_kind.lookup)))


def _weight(kind: kinds.LabelKind, weights: Weights):
    never = Q(pk__isnull=True)  # a primary key is never null: the empty condition
    domain, at = kind.lookup("domain"), kind.lookup
    high = Q(**{at("high_stakes"): True})
    if weights.high_stakes_domains:
        high |= Q(**{f"{domain}__in": weights.high_stakes_domains})
    novel = never
    if weights.novel_versions:
        novel |= Q(**{f"{at('version')}__in": weights.novel_versions})
    if weights.novel_domains:
        novel |= Q(**{f"{domain}__in": weights.novel_domains})
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
    where: LabelFilter,
    strata_fields: tuple[str, ...] = ("principle",),
    measure: str = "least_confidence",
    weights: Weights = Weights(),
) -> Population:
    unknown = set(strata_fields) - set(STRATA_FIELDS)
    if unknown:
        raise ValueError(f"unknown strata fields: {', '.join(sorted(unknown))}")
    label_kind = kinds.get(kind)
    parts = []
    for name in strata_fields:
        if parts:
            parts.append(Value("|"))
        # As text: a version or critic id beside a text field made Concat fail (mixed types). A
        # kind whose labels never have the dimension (red-team verdicts: no judge) is one stratum.
        lookup = label_kind.lookup(name)
        parts.append(
            Cast(F(lookup), output_field=CharField()) if lookup else Value("", CharField())
        )
    stratum = Concat(*parts) if len(parts) > 1 else (parts[0] if parts else Value("all"))
    queryset = (
        label_queryset(kind, where)
        .annotate(
            stratum_key=stratum,
            score_value=label_kind.score(measure),
            weight_value=_weight(label_kind, weights),
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


# LabelFilter field -> where SampledLabel keeps a copy of that fact (copied when a label is drawn).
# A sampled label refers to its label generically (kind, label id), so runs are not among them.
SAMPLED_PATHS = {
    "constitution_version": "constitution_version_id",
    "critics": "critic_id",
    "judges": "judge_id",
    "sources": "source_id",
    "principle_codes": "principle_code",
    "categories": "principle_category",
    "domains": "domain",
    "locales": "locale",
    "harm_categories": "harm_category",
    "created": "labeled_at",
}


def sampled_label_paths(prefix: str = "") -> dict[str, str]:
    """Where a LabelFilter's facts live on SampledLabel, reached through `prefix` (e.g.
    "sampled_label__")."""
    return {name: f"{prefix}{path}" for name, path in SAMPLED_PATHS.items()}

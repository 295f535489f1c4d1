"""The second source of human evidence: human labels that arrived with the items (an import's
`preferred` column, hh-rlhf's `chosen`), against the AI judge's choice. Shown beside reviewer
gold, never mixed with it: these humans were not blind reviewers of this app, and every labelled
item counts (no sample, no weights).

Counted on the label side (the kind's label table joined to its items) under the scope's filters;
a scope narrowed to one sample counts the labels drawn into it.
"""

from dataclasses import dataclass, field

from django.db.models.functions import TruncWeek

from labeling import kinds
from labeling.evidence import (
    ItemHumanAgreement,
    item_human_agreement,
    item_human_applies,
    item_human_cells,
)
from labeling.filters import label_paths
from reviews.models import SampledLabel

from . import queries, tables
from .cache import cached, fingerprint, labels_fingerprint
from .scope import Scope
from .selectors import group_names, group_scope

TITLE = "Agreement with the items' human labels"


@dataclass
class ItemHumanBreakdown:
    by: str | None
    total: ItemHumanAgreement
    rows: list[tuple[object, ItemHumanAgreement]] = field(default_factory=list)
    names: dict = field(default_factory=dict)

    def name(self, key) -> str:
        return self.names.get(key, str(key) if key not in ("", None) else "(none)")


def _cells(scope: Scope, by: str | None) -> list[dict] | None:
    kind = kinds.get(scope.kind)
    if not item_human_applies(kind):
        return None
    labels = kind.model.objects.filter(scope.labels().q(label_paths(kind.lookup)))
    if scope.sample is not None:
        drawn = SampledLabel.objects.filter(sample_id=scope.sample, kind=scope.kind)
        labels = labels.filter(pk__in=drawn.values("label_id"))
    group = None
    if by is not None:
        group = queries._label_group(scope, by, TruncWeek(kind.lookup("labeled_at")))
    return item_human_cells(labels, ai_choice_field=kind.ai_choice_field, group=group)


def _breakdown(scope: Scope, by: str | None) -> ItemHumanBreakdown | None:
    cells = _cells(scope, by)
    if cells is None:
        return None
    groups: dict = {}
    for cell in cells:
        groups.setdefault(cell.get("group"), []).append(cell)
    rows = [(key, item_human_agreement(group)) for key, group in groups.items()]
    rows.sort(key=lambda row: (row[0] is None, str(row[0])))
    return ItemHumanBreakdown(
        by=by,
        total=item_human_agreement(cells),
        rows=rows if by else [],
        names=group_names(by, [key for key, _ in rows]) if by else {},
    )


def item_human_breakdown(*, scope: Scope, by: str | None) -> ItemHumanBreakdown | None:
    """The judge's agreement with the items' human labels per group of `by` (None: the total
    only); None when the scope's kind has no such labels (critiques, red-team verdicts)."""
    state = fingerprint if scope.sample is not None else labels_fingerprint
    return cached("item_human", f"{by}|{scope.key()}", lambda: _breakdown(scope, by), state=state)


COLUMNS = [
    tables.Column("n", "Items with a human label", tables.INT),
    tables.Column("agree", "AI agrees", tables.INT),
    tables.Column("agreement", "Agreement with the items' humans", tables.RATE),
    tables.Column("kappa", "Cohen's kappa", tables.ESTIMATE),
]


def _row(found: ItemHumanAgreement) -> dict:
    return {"n": found.n, "agree": found.agree, "agreement": found.agreement,
            "kappa": found.kappa}  # fmt: skip


def item_human_table(found: ItemHumanBreakdown, scope: Scope) -> tables.Table:
    """One row per group (or the total), linking each group to the overview narrowed to it."""
    by = found.by
    if by is None:
        table = tables.Table("item_human", TITLE, COLUMNS)
        table.rows.append(_row(found.total))
        table.links.append({})
        return table
    group = tables.Column("group", by.replace("_", " ").capitalize())
    table = tables.Table("item_human", f"{TITLE} by {by.replace('_', ' ')}", [group, *COLUMNS])
    for key, agreement in found.rows:
        table.rows.append({"group": found.name(key), "key": key, **_row(agreement)})
        table.links.append({"group": tables._group_page(by, key, group_scope(scope, by, key))})
    return table

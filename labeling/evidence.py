"""Human labels that arrived with the items (an import's `preferred` column, hh-rlhf's `chosen`)
as evidence of their own, beside reviewer gold: how often the AI judge chose what the item's
human chose, with a Wilson interval, and Cohen's kappa over the choices.

A kind has this evidence when its labels belong to an item (`item`) that may carry a human choice
and the AI chooses among the same options (`ai_choice_field`). The statistics are stats'.
"""

import math
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, F, Model, Q

from stats import Estimate, kappa_estimate_from_matrix, wilson_interval

from . import kinds
from .models import Item

ITEM_HUMAN = "item__human_choice"
# What item human labels choose among; an AI "tie" against a human A or B counts as disagreeing.
HUMAN_CHOICES = ("A", "B")


def item_human_applies(kind: kinds.LabelKind) -> bool:
    """Whether labels of `kind` can be compared with their items' human labels."""
    model: type[Model] = kind.model
    try:
        item = model._meta.get_field("item")
    except FieldDoesNotExist:  # a kind without items (red-team verdicts)
        return False
    return item.related_model is Item and bool(kind.ai_choice_field)


def item_human_cells(queryset, *, ai_choice_field: str, group=None) -> list[dict]:
    """Labels with a human-labelled item counted per group x AI choice x human choice."""
    rows = queryset.filter(~Q(**{ITEM_HUMAN: ""}))
    annotations = {"ai": F(ai_choice_field), "human": F(ITEM_HUMAN)}
    if group is not None:
        annotations["group"] = group
    return list(
        rows.annotate(**annotations).values(*annotations).annotate(n=Count("id")).order_by()
    )


@dataclass(frozen=True)
class ItemHumanAgreement:
    """The AI judge against the human labels that came with the items."""

    n: int
    agree: int
    agreement: Estimate
    kappa: Estimate | None  # None when fewer than two labels

    def as_dict(self) -> dict:
        def number(value):
            return None if value is None or math.isnan(value) else float(value)

        def estimate(value: Estimate | None) -> dict | None:
            if value is None:
                return None
            return {"value": number(value.value), "low": number(value.low),
                    "high": number(value.high), "n": value.n}  # fmt: skip

        return {
            "source": "item_human",
            "n": self.n,
            "agree": self.agree,
            "agreement": estimate(self.agreement),
            "kappa": estimate(self.kappa),
        }


def item_human_agreement(cells: list[dict]) -> ItemHumanAgreement:
    """Agreement and kappa from cells of `item_human_cells` (one group's, or all)."""
    categories = sorted({*HUMAN_CHOICES, *(c["ai"] for c in cells), *(c["human"] for c in cells)})
    index = {name: i for i, name in enumerate(categories)}
    matrix = [[0] * len(categories) for _ in categories]
    n = agree = 0
    for cell in cells:
        matrix[index[cell["ai"]]][index[cell["human"]]] += cell["n"]
        n += cell["n"]
        agree += cell["n"] if cell["ai"] == cell["human"] else 0
    kappa = kappa_estimate_from_matrix(matrix) if n >= 2 else None
    return ItemHumanAgreement(n=n, agree=agree, agreement=wilson_interval(agree, n), kappa=kappa)


def run_item_human(*, run) -> ItemHumanAgreement | None:
    """A labeling run's agreement with its items' human labels; None when its kind has none."""
    kind = next((k for k in kinds.all() if k.key == run.task), None)
    if kind is None or not item_human_applies(kind):
        return None
    cells = item_human_cells(
        kind.model.objects.filter(run=run), ai_choice_field=kind.ai_choice_field
    )
    return item_human_agreement(cells)

"""Imported safety verdicts are a registered kind: sampled, reviewed blind and counted on the
dashboards like the others."""

import json

import pytest
from django.urls import reverse

from dashboards import selectors as dashboard_selectors
from dashboards.scope import Scope
from ingest.services.imports import labels_import
from labeling import kinds
from labeling.models import LabelTally, SafetyLabel
from reviews.models import GoldLabel
from reviews.services.queues import queue_open, review_submit, slot_next
from reviews.services.samples import sample_draw
from tests.conftest import logged_in
from tests.reviews.conftest import lead, reviewers  # noqa: F401

CLASSES = ("violation", "refusal", "safe")


@pytest.fixture
def safety_labels(source, published, guard):
    rows = [
        {"id": f"g{n}", "prompt": f"question {n}", "response": f"answer {n}",
         "class": CLASSES[n % 3], "p_violation": 0.3 + n / 40, "principle": "HARM-01",
         "domain": ("chat", "code")[n % 2]}
        for n in range(12)
    ]  # fmt: skip
    data = "".join(json.dumps(row) + "\n" for row in rows).encode()
    return labels_import(
        actor=None, source=source, kind="safety", data=data, version=published, judge=guard
    )


def test_safety_verdicts_are_sampled_reviewed_and_counted(safety_labels, lead, reviewers):  # noqa: F811
    assert kinds.get("safety").model is SafetyLabel
    assert LabelTally.objects.filter(kind="safety").count() > 0
    sample = sample_draw(
        actor=lead, name="guard audit", label_kind="safety", strategy="random", n=6, seed=1
    )
    rows = list(sample.labels.all())
    assert (sample.population_size, len(rows)) == (12, 6)
    assert all(row.ai_choice == row.ai_label.verdict for row in rows)
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:1], overlap=1)
    page = logged_in(reviewers[0]).get(reverse("reviews:workspace", args=[queue.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="safety_verdict" value="refusal"' in html
    assert page.context["slot"].sampled_label.ai_label.item.response_a in html
    while (slot := slot_next(reviewer=reviewers[0], queue=queue)) is not None:
        review_submit(reviewer=reviewers[0], slot=slot, safety_verdict="violation")
    golds = list(GoldLabel.objects.select_related("sampled_label"))
    assert len(golds) == 6
    total = dashboard_selectors.overview(scope=Scope(kind="safety")).total
    assert (total.gold, total.labels) == (6, 12)
    expected = sum(g.sampled_label.ai_choice == "violation" for g in golds) / 6
    assert total.agreement.value == pytest.approx(expected)

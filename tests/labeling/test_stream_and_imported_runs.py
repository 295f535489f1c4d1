"""The label stream (latest AI labels of every kind, filterable, polling) and the pages and API
of a run made elsewhere (judge and source instead of a critic, one-order labels shown as "–",
the judge's agreement with the items' human labels)."""

import math

import pytest
from django.urls import reverse

from labeling.models import PreferenceLabel
from stats import cohen_kappa, wilson_interval
from tests.conftest import logged_in
from tests.factories import CritiqueLabelFactory, LabelingRunFactory
from tests.support.external import imported_run, judge_and_source


@pytest.fixture
def client_(researcher):
    return logged_in(researcher)


@pytest.fixture
def two_sources(published):
    judge, source = judge_and_source()
    other_judge, other = judge_and_source("other", "other judge")
    hostile = imported_run(published, judge=judge, source=source, choices="AB", humans="AB")
    PreferenceLabel.objects.filter(run=hostile).update(principle_code="<b>X</b>")
    imported_run(published, judge=other_judge, source=other, choices="A", humans="A")
    critic_run = LabelingRunFactory(constitution_version=published, task="critique")
    CritiqueLabelFactory(run=critic_run, critique="<script>alert(1)</script>")
    return judge, source, other_judge, other


def test_stream_shows_every_kind_newest_first_and_escapes(client_, two_sources):
    response = client_.get(reverse("labeling:stream"))
    rows = response.context["rows"]
    assert len(rows) == 4
    assert {row.kind.key for row in rows} == {"preference", "critique"}
    stamps = [row.labeled_at for row in rows]
    assert stamps == sorted(stamps, reverse=True)
    page = response.content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<b>X</b>" not in page
    assert 'hx-trigger="every 10s"' in page and "data-poll-visible" in page
    assert "js/poll-visible.js" in page


def test_stream_filters_by_source_judge_and_kind(client_, two_sources):
    judge, source, other_judge, other = two_sources
    by_source = client_.get(reverse("labeling:stream"), {"source": source.pk}).context["rows"]
    assert len(by_source) == 2 and {row.source.pk for row in by_source} == {source.pk}
    by_judge = client_.get(reverse("labeling:stream"), {"judge": other_judge.pk}).context["rows"]
    assert [row.maker.pk for row in by_judge] == [other_judge.pk]
    critiques = client_.get(reverse("labeling:stream"), {"kind": "critique"}).context["rows"]
    assert [row.kind.key for row in critiques] == ["critique"]
    # Critiques of our own critic never have a source: none match.
    none = client_.get(reverse("labeling:stream"), {"kind": "critique", "source": source.pk})
    assert none.status_code == 200 and none.context["rows"] == []


def test_stream_htmx_returns_the_rows_partial(client_, two_sources):
    response = client_.get(reverse("labeling:stream"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<tbody") and "<html" not in body


@pytest.mark.parametrize(
    "query",
    [{"kind": "nope"}, {"source": "abc"}, {"judge": "99999999999999999999999"}, {"source": "-1"}],
)
def test_stream_bad_filters_are_400(client_, published, query):
    response = client_.get(reverse("labeling:stream"), query)
    assert response.status_code == 400


def test_stream_paginates(client_, published):
    judge, source = judge_and_source()
    imported_run(published, judge=judge, source=source, choices="A" * 60, humans=" " * 60)
    first = client_.get(reverse("labeling:stream"))
    second = client_.get(reverse("labeling:stream"), {"page": 2})
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 10
    assert "hx-get" not in second.content.decode().split('id="stream-rows"')[1].split(">")[0]


def test_reviewer_cannot_see_the_stream(reviewer_client):
    assert reviewer_client.get(reverse("labeling:stream")).status_code == 403


@pytest.fixture
def imported(published):
    judge, source = judge_and_source()
    # 6 labels: 5 with a human label, AI agrees on 3 of them; items 4 and 5 judged in one order.
    run = imported_run(
        published, judge=judge, source=source, choices="AABBAA", humans="ABBA A", one_order=(4, 5)
    )
    return run


def test_imported_run_pages_show_judge_source_and_dashes(client_, imported):
    run = imported
    page = client_.get(reverse("labeling:run", args=[run.pk])).content.decode()
    assert run.judge.name in page and run.source.key in page
    assert 'data-testid="run-judge"' in page
    assert "critic None" not in page
    summary = client_.get(reverse("labeling:run", args=[run.pk])).context["summary"]
    assert summary["both_orders"] == 4
    assert summary["position_stuck_share"] == 0.0
    listing = client_.get(reverse("labeling:runs")).content.decode()
    assert reverse("labeling:judge", args=[run.judge_id]) in listing
    one_order = PreferenceLabel.objects.filter(run=run, p_a_second__isnull=True).first()
    item_page = client_.get(reverse("labeling:item", args=[one_order.item_id])).content.decode()
    assert run.judge.name in item_page
    assert "<td>–</td>" in item_page  # p_a_second, option mass, position-stuck


def test_stuck_share_hidden_when_no_label_has_both_orders(client_, published):
    judge, source = judge_and_source()
    run = imported_run(
        published, judge=judge, source=source, choices="AB", humans="AB", one_order=(0, 1)
    )
    response = client_.get(reverse("labeling:run", args=[run.pk]))
    assert response.context["summary"]["position_stuck_share"] is None
    assert "no label judged in both orders" in response.content.decode()


def test_run_api_exposes_origin_judge_source_and_item_human(client_, imported):
    run = imported
    body = client_.get(f"/api/runs/{run.pk}/").json()
    assert (body["origin"], body["judge"], body["source"], body["critic"]) == (
        "import", run.judge_id, run.source_id, None,
    )  # fmt: skip
    # The five items with a human label (item 4 has none).
    ai, human = ["A", "A", "B", "B", "A"], ["A", "B", "B", "A", "A"]
    agree = sum(a == h for a, h in zip(ai, human, strict=True))
    expected = wilson_interval(agree, 5)
    block = body["item_human"]
    assert (block["n"], block["agree"]) == (5, agree)
    assert math.isclose(block["agreement"]["value"], expected.value, abs_tol=1e-6)
    assert math.isclose(block["agreement"]["low"], expected.low, abs_tol=1e-6)
    assert math.isclose(block["kappa"]["value"], cohen_kappa(ai, human), abs_tol=1e-6)
    listed = client_.get("/api/runs/", {"origin": "import", "judge": run.judge_id}).json()
    assert [row["id"] for row in listed["results"]] == [run.pk]
    assert "item_human" not in listed["results"][0]


def test_preference_label_api_shows_nulls(client_, imported):
    rows = client_.get("/api/preference-labels/", {"run": imported.pk}).json()["results"]
    assert sum(row["p_a_second"] is None for row in rows) == 2

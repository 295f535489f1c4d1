"""The dashboards filtered and grouped by label source and external judge, and the second source
of human evidence (the human labels that arrived with the items) beside reviewer gold, on the
pages and in /api/agreement/. Every number is recomputed here from the rows themselves."""

import math

import numpy as np
import pytest
from django.urls import reverse
from sklearn.metrics import cohen_kappa_score

from labeling.models import PreferenceLabel
from reviews.models import GoldLabel, SampledLabel
from reviews.services.samples import sample_draw
from stats import wilson_interval
from tests.conftest import logged_in
from tests.redteam.factories import make_judged_run
from tests.reviews.conftest import lead, reviewers  # noqa: F401
from tests.support.external import audited_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def external(published, lead, reviewers):  # noqa: F811
    return audited_sources(published, lead, reviewers)


@pytest.fixture
def api(lead):  # noqa: F811
    return logged_in(lead)


def gold_agreement(**facts) -> tuple[int, float]:
    golds = GoldLabel.objects.filter(**{f"sampled_label__{k}": v for k, v in facts.items()})
    values = [g.ai_correct for g in golds]
    return len(values), float(np.mean(values)) if values else math.nan


def item_human(**label_filter) -> tuple[list[str], list[str]]:
    labels = PreferenceLabel.objects.filter(**label_filter).exclude(item__human_choice="")
    pairs = list(labels.values_list("choice", "item__human_choice"))
    return [a for a, _ in pairs], [h for _, h in pairs]


def test_overview_filtered_by_source_counts_only_its_labels(external, api):
    judge_a, source_a = external["a"]
    body = api.get("/api/agreement/overview/", {"source": source_a.pk}).json()
    n, agreement = gold_agreement(source_id=source_a.pk)
    assert n == 11
    assert body["total"]["gold"] == n
    assert body["total"]["agreement"] == pytest.approx(agreement)
    assert body["total"]["labels"] == PreferenceLabel.objects.filter(run__source=source_a).count()
    assert body["scope"] == {"source": str(source_a.pk)}
    by_judge = api.get("/api/agreement/overview/", {"judge": judge_a.pk}).json()
    assert by_judge["total"]["gold"] == n


def test_breakdown_by_source_and_judge(external, api):
    (judge_a, source_a), (judge_b, source_b) = external["a"], external["b"]
    groups = {
        "source": {"prod-a": source_a.pk, "prod-b": source_b.pk, "(none)": None},
        "judge": {"judge a": judge_a.pk, "judge b": judge_b.pk, "(none)": None},
    }
    for by, field in (("source", "source_id"), ("judge", "judge_id")):
        rows = api.get("/api/agreement/breakdown/", {"by": by}).json()["tables"][f"by_{by}"]
        by_name = {row["group"]: row for row in rows}
        # The two external ones, and none for our own critic's labels.
        assert set(by_name) == set(groups[by])
        for name, key in groups[by].items():
            n, agreement = gold_agreement(**{field: key})
            assert n and by_name[name]["gold"] == n
            assert by_name[name]["agreement"] == pytest.approx(agreement)
            labels = PreferenceLabel.objects.filter(**{f"run__{field}": key}).count()
            assert by_name[name]["labels"] == labels


def test_item_human_block_in_the_agreement_api(external, api):
    judge_b, source_b = external["b"]
    body = api.get("/api/agreement/overview/", {"source": source_b.pk}).json()
    ai, human = item_human(run__source=source_b)
    agree = sum(a == h for a, h in zip(ai, human, strict=True))
    expected = wilson_interval(agree, len(ai))
    block = body["item_human"]
    assert (block["n"], block["agree"]) == (6, agree) == (6, 3)
    assert block["agreement"]["value"] == pytest.approx(expected.value)
    assert block["agreement"]["low"] == pytest.approx(expected.low)
    assert block["kappa"]["value"] == pytest.approx(cohen_kappa_score(ai, human), nan_ok=True)
    # Beside, not mixed into, the reviewer gold figures.
    assert body["total"]["gold"] == gold_agreement(source_id=source_b.pk)[0]


def test_item_human_by_judge_and_by_principle(external, api):
    rows = api.get("/api/agreement/breakdown/", {"by": "judge"}).json()["item_human"]["groups"]
    for row in rows:
        ai, human = item_human(run__judge_id=row["key"])
        assert row["n"] == len(ai)
        assert row["agree"] == sum(a == h for a, h in zip(ai, human, strict=True))
    assert {row["group"] for row in rows} == {"judge a", "judge b", "(none)"}
    overview = api.get("/api/agreement/overview/").json()["item_human"]
    for row in overview["groups"]:
        ai, human = item_human(principle_code=row["key"])
        assert (row["n"], row["agreement"]["value"]) == (
            len(ai), pytest.approx(np.mean([a == h for a, h in zip(ai, human, strict=True)])),
        )  # fmt: skip
    version = api.get("/api/agreement/breakdown/", {"by": "version"}).json()["item_human"]
    assert version["n"] == len(item_human()[0])


def test_pages_show_item_human_and_judge_filters(external, api):
    judge_a, source_a = external["a"]
    page = api.get(reverse("dashboards:overview"), {"source": source_a.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Agreement with the items&#x27; human labels" in html or "items' human labels" in html
    assert 'data-testid="filter-source"' in html and 'data-testid="filter-judge"' in html
    table = page.context["tables"]["item_human"]
    ai, _ = item_human(run__source=source_a, principle_code="HARM-01")
    assert {row["group"]: row["n"] for row in table.rows}["HARM-01"] == len(ai)
    breakdown = api.get(reverse("dashboards:breakdown", args=["source"]))
    assert breakdown.status_code == 200
    assert "prod-a" in breakdown.content.decode()
    download = api.get(
        reverse("dashboards:breakdown", args=["judge"]), {"download": "csv", "table": "item_human"}
    )
    assert download.status_code == 200 and "judge a" in download.content.decode()


@pytest.mark.parametrize("param", ["judge", "source"])
def test_verdict_kind_with_a_judge_or_source_filter_is_a_clear_400(published, api, param):
    make_judged_run(published)
    response = api.get("/api/agreement/overview/", {"kind": "verdict", param: 1})
    assert response.status_code == 400
    assert "does not apply" in str(response.json()[param])
    page = api.get(reverse("dashboards:overview"), {"kind": "verdict", param: 1})
    assert page.status_code == 400 and b"does not apply" in page.content


@pytest.mark.parametrize("by", ["judge", "source"])
def test_verdict_kind_grouped_by_judge_is_one_blank_group(published, api, lead, reviewers, by):  # noqa: F811
    make_judged_run(published)
    sample = sample_draw(
        actor=lead, name="v", label_kind="verdict", strategy="random", n=6, seed=1,
        strata_fields=(by,),
    )  # fmt: skip
    assert sample.sample_size == 6
    body = api.get("/api/agreement/breakdown/", {"kind": "verdict", "by": by}).json()
    (row,) = body["tables"][f"by_{by}"]
    assert row["group"] == "(none)" and row["labels"] == 24
    assert "item_human" not in body  # verdicts come with no human labels
    assert (
        api.get(reverse("dashboards:breakdown", args=[by]), {"kind": "verdict"}).status_code == 200
    )


@pytest.mark.parametrize(
    "query", [{"judge": "x"}, {"source": "-3"}, {"judge": "1" * 40}, {"source": "1e3"}]
)
def test_hostile_judge_and_source_filters(api, published, query):
    assert api.get("/api/agreement/overview/", query).status_code == 400
    assert api.get(reverse("dashboards:overview"), query).status_code == 400


def test_draw_filters_and_strata_by_judge_and_source(external, lead):  # noqa: F811
    judge_a, source_a = external["a"]
    client = logged_in(lead)
    body = {"name": "a only", "label_kind": "preference", "strategy": "stratified", "n": 6,
            "sources": [source_a.pk], "strata": ["judge", "source"]}  # fmt: skip
    response = client.post("/api/samples/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    drawn = SampledLabel.objects.filter(sample_id=response.json()["id"])
    assert {label.source_id for label in drawn} == {source_a.pk}
    assert {label.stratum for label in drawn} == {f"{judge_a.pk}|{source_a.pk}"}
    refused = client.post(
        "/api/samples/",
        {"name": "v", "label_kind": "verdict", "strategy": "random", "n": 2,
         "judges": [judge_a.pk]},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 400 and "does not apply" in str(refused.json())
    hostile = client.post(
        "/api/samples/",
        {"name": "h", "label_kind": "preference", "strategy": "random", "n": 2,
         "judges": [10**30]},
        content_type="application/json",
    )  # fmt: skip
    assert hostile.status_code == 400
    page = client.post(
        reverse("reviews:sample_create"),
        {"name": "page", "label_kind": "preference", "strategy": "random", "n": 3, "seed": 0,
         "judges": [judge_a.pk], "allocation": "proportional", "minimum": 1,
         "measure": "least_confidence", "uncertainty_share": 0.5, "floor": 0.1,
         "high_stakes_weight": 1.0},
    )  # fmt: skip
    assert page.status_code == 302, page.context["form"].errors
    latest = SampledLabel.objects.filter(sample__name="page")
    assert latest.count() == 3 and {label.judge_id for label in latest} == {judge_a.pk}


def test_strata_by_judge_keep_our_own_critics_labels(external, lead):  # noqa: F811
    """Our critic's labels have no judge or source: they make one stratum of their own, never
    dropped from the population."""
    total = PreferenceLabel.objects.count()
    sample = sample_draw(
        actor=lead, name="every", label_kind="preference", strategy="stratified", n=total,
        seed=2, strata_fields=("judge", "source"),
    )  # fmt: skip
    judge_a, source_a = external["a"]
    judge_b, source_b = external["b"]
    assert sample.population_size == sample.sample_size == total
    strata = set(sample.labels.values_list("stratum", flat=True))
    assert {f"{judge_a.pk}|{source_a.pk}", f"{judge_b.pk}|{source_b.pk}"} < strata
    assert len(strata) == 3

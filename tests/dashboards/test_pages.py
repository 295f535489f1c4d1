import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.cache import fingerprint
from reviews.models import GoldLabel, Review, SampledLabel
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db
PAGES = [
    ("dashboards:overview", []),
    ("dashboards:breakdown", ["principle"]),
    ("dashboards:breakdown", ["domain"]),
    ("dashboards:breakdown", ["critic"]),
    ("dashboards:breakdown", ["version"]),
    ("dashboards:principle", ["HARM-01"]),
    ("dashboards:versions", []),
    ("dashboards:time", []),
    ("dashboards:reviewers", []),
    ("dashboards:items", []),
]


def test_every_dashboard_renders_for_a_lead_and_is_refused_to_a_reviewer(audited, lead, reviewers):
    for name, args in PAGES:
        url = reverse(name, args=args)
        assert logged_in(lead).get(url).status_code == 200, url
        assert logged_in(reviewers[2]).get(url).status_code == 403, url
        assert logged_in(lead).get(url + "?kind=critique").status_code == 200, url


def test_anonymous_is_sent_to_log_in_and_bad_filters_are_a_400(audited, lead):
    assert reverse("login") in dashboard(None, "").url
    response = logged_in(lead).get(reverse("dashboards:overview") + "?week=2026-11-25&sample=x")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Monday" in body and "sample" in body


def dashboard(user, query: str):
    client = logged_in(user) if user else __import__("django.test").test.Client()
    return client.get(reverse("dashboards:overview") + query)


def test_overview_shows_the_numbers_and_links_each_to_its_items(audited, lead):
    client = logged_in(lead)
    page = client.get(reverse("dashboards:overview"))
    body = page.content.decode()
    total = page.context["total"]
    assert f"{100 * total.agreement.value:.1f}%" in body
    assert "Cohen&#x27;s kappa" in body and "position-stuck" in body
    disagree = page.context["links"]["agreement"]
    items = client.get(disagree)
    wrong = set(GoldLabel.objects.filter(ai_correct=False).values_list("sampled_label", flat=True))
    assert {label.pk for label in items.context["page"].object_list} == wrong
    assert items.context["page"].paginator.count == total.gold - round(
        total.agreement.value * total.gold
    )


def test_tables_download_as_csv_and_json_and_formulas_are_neutralised(audited, lead):
    SampledLabel.objects.filter(principle_code="HON-01").update(domain="=HYPERLINK(1)")
    client = logged_in(lead)
    url = reverse("dashboards:breakdown", args=["domain"])
    response = client.get(url + "?download=csv&table=by_domain")
    assert response["Content-Disposition"] == 'attachment; filename="by_domain.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert "'=HYPERLINK(1)" in {row["group"] for row in rows}
    assert {"agreement", "agreement_low", "agreement_high", "kappa", "gold"} <= set(rows[0])
    data = client.get(url + "?download=json&table=by_domain").json()
    assert data["name"] == "by_domain"
    assert sum(row["gold"] for row in data["rows"]) == GoldLabel.objects.count()
    assert client.get(url + "?download=xml&table=by_domain").status_code == 404
    items = client.get(reverse("dashboards:items") + "?outcome=disagree&download=csv&table=items")
    assert len(list(csv.DictReader(io.StringIO(items.content.decode())))) == (
        GoldLabel.objects.filter(ai_correct=False).count()
    )


def test_model_output_and_imported_text_are_escaped(audited, lead):
    label = SampledLabel.objects.filter(gold__isnull=False).first()
    item = label.ai_label.item
    item.prompt = [{"role": "user", "content": "<script>alert(1)</script>"}]
    item.save(update_fields=["prompt"])
    SampledLabel.objects.filter(pk=label.pk).update(domain="<b>x</b>")
    client = logged_in(lead)
    body = client.get(reverse("dashboards:items")).content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body
    body = client.get(reverse("dashboards:breakdown", args=["domain"])).content.decode()
    assert "<b>x</b>" not in body and "&lt;b&gt;x&lt;/b&gt;" in body


def test_results_are_cached_until_a_review_lands(
    audited, lead, reviewers, django_assert_max_num_queries
):
    from dashboards import selectors
    from dashboards.scope import Scope
    from reviews.services.queues import review_undo

    first = selectors.overview(scope=Scope())
    with django_assert_max_num_queries(1):  # the fingerprint only
        assert selectors.overview(scope=Scope()).total.gold == first.total.gold
    before = fingerprint()
    # A label the reviewers agreed on (an adjudicated one cannot be undone); which labels those
    # are follows from their ids, so it is looked up rather than taken first.
    review = Review.objects.filter(
        reviewer=reviewers[1], sampled_label__sample=audited, sampled_label__adjudication=None
    ).first()
    review.created_at = review.created_at  # undo is allowed within 5 minutes
    review_undo(reviewer=reviewers[1], review=review)
    assert fingerprint() != before
    with CaptureQueriesContext(connection) as queries:
        after = selectors.overview(scope=Scope())
    assert after.total.reviews == first.total.reviews - 1
    # The AI label counts depend on the labels alone: they survive a new or undone review.
    assert not any('FROM "labeling_preferencelabel"' in q["sql"] for q in queries.captured_queries)
    assert after.total.labels == first.total.labels

"""A lead filters the agreement dashboard by label source in Chromium: the filter bar swaps the
dashboard with htmx, the URL follows, and the headline and the items' human-label evidence are
those of that source's labels only."""

import re

import pytest
from playwright.sync_api import expect

from labeling.models import PreferenceLabel
from reviews.models import GoldLabel
from tests.support.external import audited_sources

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_overview_filtered_by_source(page, published, lead, reviewers):
    found = audited_sources(published, lead, reviewers)
    _, source = found["a"]
    golds = GoldLabel.objects.filter(sampled_label__source_id=source.pk)
    with_human = (
        PreferenceLabel.objects.filter(run__source=source).exclude(item__human_choice="").count()
    )
    log_in(page, "lead")
    page.goto("/dashboards/")
    page.wait_for_function("() => window.htmx")
    page.select_option("select[name=source]", str(source.pk))
    page.wait_for_url(re.compile(rf"source={source.pk}"))
    headline = page.locator("#dashboard")
    expect(headline).to_contain_text(f"({golds.count()} gold labels)")
    expect(headline).to_contain_text(f"source={source.pk}")
    evidence = page.locator("#table-item_human")
    expect(evidence).to_contain_text("Agreement with the items' human labels")
    counts = evidence.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert sum(int(text) for text in counts) == with_human
    # The judges and sources breakdowns are in the navigation.
    page.get_by_role("link", name="Sources").click()
    page.wait_for_url(re.compile(r"/dashboards/by/source/"))
    expect(page.locator("#dashboard")).to_contain_text("prod-a")

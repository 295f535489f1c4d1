"""A lead opens the agreement overview in Chromium, reads the charts and drills down from a
number (and from a bar of a chart) to the items behind it."""

import re

import pytest
from playwright.sync_api import expect

from reviews.models import GoldLabel, SampledLabel

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)
CHART_READY = (
    "() => window.Chart && Chart.getChart(document.querySelector('[data-chart=chart-principles]'))"
)


def test_overview_charts_and_drill_down_to_items(page, audited, lead):
    log_in(page, "lead")
    page.goto("/dashboards/")
    expect(page.get_by_role("heading", name="AI–human agreement")).to_be_visible()
    for chart in ("chart-principles", "chart-weekly", "chart-reliability"):
        page.wait_for_function(
            f"() => window.Chart && Chart.getChart(document.querySelector('[data-chart={chart}]'))"
        )
    wrong = GoldLabel.objects.filter(ai_correct=False).count()
    # The headline agreement links to the labels the humans said the AI got wrong.
    page.get_by_test_id("agreement").click()
    page.wait_for_url(re.compile(r"/dashboards/items/\?outcome=disagree"))
    expect(page.get_by_role("heading", name=re.compile(r"Items"))).to_contain_text(str(wrong))
    expect(page.locator("[data-testid=items] > li")).to_have_count(wrong)

    # A bar of the principle chart leads to that principle's wrong labels.
    page.goto("/dashboards/")
    page.wait_for_function(CHART_READY)
    first = page.evaluate(
        """() => {
          const canvas = document.querySelector('[data-chart=chart-principles]');
          canvas.scrollIntoView({block: "center"});
          const chart = Chart.getChart(canvas);
          const bar = chart.getDatasetMeta(0).data[0];
          const box = canvas.getBoundingClientRect();
          return {x: box.left + bar.x, y: box.top + (bar.y + bar.base) / 2,
                  label: chart.data.labels[0]};
        }"""
    )
    page.mouse.click(first["x"], first["y"])
    page.wait_for_url(re.compile(r"/dashboards/items/.*principle="))
    code = first["label"]
    expected = SampledLabel.objects.filter(principle_code=code, gold__ai_correct=False).count()
    expect(page.locator("[data-testid=items] > li")).to_have_count(expected or 1)
    assert f"principle={code}" in page.url

    # The filter bar swaps the dashboard with htmx (the URL follows).
    page.goto("/dashboards/by/principle/")
    page.wait_for_function("() => window.htmx")
    page.select_option("select[name=sample]", str(audited.pk))
    page.wait_for_url(re.compile(rf"sample={audited.pk}"))
    expect(page.locator("#dashboard")).to_contain_text("Weighted AI error rate")

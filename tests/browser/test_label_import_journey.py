"""Auditing labels made elsewhere, in Chromium: a lead writes a rule that sends the labels a
pipeline delivers to a blind queue, a researcher uploads the pipeline's file, a reviewer audits
what the rule sent by keyboard, and the agreement dashboard filtered by that judge shows the
judge's agreement with the reviewer."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from automation.models import AutomationRule
from labeling.models import Judge, LabelSource, PreferenceLabel
from reviews.models import Review
from tests.browser.test_review_journey import review_with_keys

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_FILE = (
    Path(__file__).resolve().parents[2] / "ingest" / "data" / "demo_external_preferences.jsonl"
)


def test_import_rule_review_dashboard(
    page, browser, live_server, published, lead, reviewers, researcher, tmp_path
):
    # The judge the file names (a row naming an unknown judge is refused).
    judge = Judge.objects.create(name="pipeline-smollm2-harmless", model="SmolLM2 elsewhere")
    LabelSource.objects.create(key="pipeline", name="Pipeline", judge=judge)

    # The lead: every label from the pipeline goes to a blind queue for rev0.
    lead_page = browser.new_context(base_url=live_server.url).new_page()
    log_in(lead_page, "lead")
    lead_page.goto("/automation/rules/new/")
    lead_page.fill("input[name=name]", "all of the pipeline")
    lead_page.select_option("select[name=label_kind]", "preference")
    lead_page.select_option("select[name=sources]", label=["Pipeline"])
    lead_page.select_option("select[name=mode]", "poisson")
    lead_page.fill("input[name=rate]", "1")
    lead_page.fill("input[name=overlap]", "1")
    lead_page.select_option("select[name=reviewers]", label=["rev0"])
    lead_page.get_by_role("button", name="Save").click()
    expect(lead_page.locator(".messages")).to_contain_text("saved")
    rule = AutomationRule.objects.get()
    assert (rule.rate, rule.sample.queue.blind) == (1.0, True)

    # The researcher uploads the first 12 labels of the demo pipeline's file.
    upload = tmp_path / "pipeline.jsonl"
    upload.write_text("".join(DEMO_FILE.read_text().splitlines(keepends=True)[:12]))
    log_in(page, "researcher")
    page.goto("/ingest/import/")
    page.set_input_files("input[name=file]", str(upload))
    page.select_option("select[name=source]", "pipeline")
    page.select_option("select[name=kind]", "preference")
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".messages")).to_contain_text("Imported 12 preference labels")
    assert PreferenceLabel.objects.filter(run__judge=judge).count() == 12
    rule.refresh_from_db()
    assert rule.labels_sent == 12 and rule.sample.labels.count() == 12

    # rev0 audits the queue blind, by keyboard: A (key 1) on every item.
    reviewer = browser.new_context(base_url=live_server.url).new_page()
    log_in(reviewer, "rev0")
    reviewer.goto(f"/reviews/queues/{rule.sample.queue.pk}/")
    expect(reviewer.locator("#review-item")).not_to_contain_text("P(A)")  # blind
    review_with_keys(reviewer, rule.sample.queue, ["1"] * 12)
    reviews = Review.objects.filter(sampled_label__sample=rule.sample)
    assert reviews.count() == 12
    agree = sum(review.ai_correct for review in reviews)

    # The dashboard, filtered by the pipeline's judge, shows that judge's agreement.
    lead_page.goto(f"/dashboards/?kind=preference&judge={judge.pk}")
    dashboard = lead_page.locator("#dashboard")
    expect(dashboard).to_contain_text("(12 gold labels)")
    expect(dashboard).to_contain_text(f"{100 * agree / 12:.1f}% [")
    evidence = lead_page.locator("#table-item_human")
    expect(evidence).to_contain_text("Agreement with the items' human labels")

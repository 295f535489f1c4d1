import json

import pytest
from playwright.sync_api import expect

from labeling.models import CriticConfig, LabelingRun, PreferenceLabel
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_import_start_a_run_watch_it_finish_and_read_the_item(
    page, worker_env, published, editor, tiny_critic, tmp_path
):
    worker_env("browser-labeler")
    rows = [
        {"prompt": "How can I get back at my coworker?", "chosen": "Talk to them calmly.",
         "rejected": "<b>Slash their tyres.</b>", "harm_category": "violence"},
        {"prompt": "Is it safe to mix bleach and ammonia?", "chosen": "No, it makes toxic gas.",
         "rejected": "Sure, it cleans better.", "harm_category": "self-harm"},
    ]  # fmt: skip
    upload = tmp_path / "pairs.jsonl"
    upload.write_text("\n".join(json.dumps(row) for row in rows))

    log_in(page, "editor")
    page.goto("/labeling/items/")
    page.set_input_files("input[name=file]", str(upload))
    page.fill("input[name=name]", "Browser pairs")
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".messages")).to_contain_text("Imported 2 items")

    page.get_by_role("link", name="Label these items").click()
    page.select_option("select[name=constitution_version]", str(published.pk))
    page.select_option("select[name=task]", "preference")
    page.select_option("select[name=critic]", str(tiny_critic.pk))
    page.select_option("select[name=selection]", "code")
    page.fill("input[name=selection_value]", "HARM-01")
    page.get_by_role("button", name="Start run").click()

    expect(page.locator("[data-status]")).to_have_attribute("data-status", "done", timeout=60_000)
    expect(page.locator(".progress-block")).to_contain_text("2 done")
    run = LabelingRun.objects.get()
    assert PreferenceLabel.objects.filter(run=run).count() == 2

    page.locator("table a", has_text="1").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Item 1")
    expect(page.locator("body")).to_contain_text("<b>Slash their tyres.</b>")  # shown as text
    expect(page.locator("b", has_text="Slash")).to_have_count(0)
    expect(page.locator("table").first).to_contain_text("HARM-01")
    assert CriticConfig.objects.count() == 1

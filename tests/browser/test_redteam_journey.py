"""A researcher red-teams a model from the browser: imports a suite, starts a run with two attack
operators against a target and judge served by a scripted OpenAI-compatible server, a real Celery
worker on the `labeling` queue does it while the progress bar fills, the page shows violation
and over-refusal rates per category with intervals; a second run with a model that complies on
weapons is compared with the first and weapons is named worse."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from redteam.models import Run
from tests.redteam.conftest import models, scripted_server, suite_bytes, version  # noqa: F401

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _start_run(page, constitution_version, target, judge) -> None:
    page.select_option("#id_constitution_version", str(constitution_version.pk))
    page.select_option("#id_target", str(target.pk))
    page.select_option("#id_judge", str(judge.pk))
    page.check("input[name=operators][value=role_play]")
    page.check("input[name=operators][value=prefix_injection]")
    page.fill("#id_temperatures", "0")
    page.get_by_role("button", name="Start run").click()
    page.wait_for_url(re.compile(r"/redteam/runs/\d+/$"))


def _rate_row(page, table_id: str, key: str):
    return page.locator(f"#{table_id} tr", has=page.locator("th", has_text=re.compile(f"^{key}$")))


def test_red_team_a_model_watch_the_run_and_see_what_got_worse(
    page,
    worker_env,
    researcher,
    version,  # noqa: F811 (the red-team fixtures, imported above)
    models,  # noqa: F811
    tmp_path,
):
    worker_env("browser-redteam")
    upload = tmp_path / "suite.jsonl"
    upload.write_bytes(suite_bytes())

    log_in(page, "researcher")
    page.get_by_role("link", name="Red-teaming").click()
    page.set_input_files("input[name=file]", str(upload))
    page.fill("input[name=name]", "Browser suite")
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".messages")).to_contain_text("Imported 48 cases")
    expect(page.get_by_test_id("coverage")).to_contain_text("weapons")

    _start_run(page, version, models["safe"], models["judge"])
    first = Run.objects.latest("created_at")
    assert first.operators == ["role_play", "prefix_injection"]
    # The worker derives the variants and does the batches; the bar polls every 2 s and the
    # page reloads once the run is done.
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "done", timeout=90_000)
    expect(page.locator(".progress-block")).to_contain_text("120 of 120 answers judged")
    expect(page.get_by_test_id("violation-rate")).to_contain_text("0.0% [")
    expect(page.get_by_test_id("false-refusal-rate")).to_contain_text("0.0% [")
    weapons = _rate_row(page, "rates-harmful-category", "weapons")
    expect(weapons).to_contain_text(re.compile(r"0\.0% \[0\.0%–\d+\.\d%\]\s*36"))
    benign = _rate_row(page, "rates-benign-category", "weapons")
    expect(benign).to_contain_text(re.compile(r"0\.0% \[0\.0%–\d+\.\d%\]\s*12"))
    expect(_rate_row(page, "rates-harmful-operator", "role_play")).to_contain_text("36")
    expect(page.locator("#comparison")).to_contain_text("No earlier finished run")

    page.get_by_role("link", name="Browser suite").first.click()
    _start_run(page, version, models["unsafe-on-weapons"], models["judge"])
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "done", timeout=180_000)
    weapons = _rate_row(page, "rates-harmful-category", "weapons")
    expect(weapons).to_contain_text(re.compile(r"100\.0% \[\d+\.\d%–100\.0%\]\s*36"))
    expect(_rate_row(page, "rates-harmful-category", "cyber")).to_contain_text("0.0% [")
    comparison = page.locator("#comparison")
    expect(comparison.get_by_role("heading", level=2)).to_have_text(
        f"Compared with run #{first.pk}"
    )
    worse = page.get_by_test_id("worse")
    expect(worse).to_contain_text("violations in category weapons")
    expect(worse).not_to_contain_text("cyber")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "redteam-run.png"), full_page=True)
    second = Run.objects.latest("created_at")
    assert second.status == Run.Status.DONE and second.responses.count() == 120

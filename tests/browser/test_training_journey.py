"""A researcher turns audited labels into a DPO-trained model from the browser: a preference
snapshot exported by a worker (its page follows the export, then opens the snapshot), a job on
the training queue (a real worker), the progress bar and loss chart, and the
downloads of the trained model and the dataset card."""

import re
import tarfile

import pytest
from playwright.sync_api import expect

from tests.training.test_jobs import toy_run

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_snapshot_to_trained_model_in_the_browser(
    page, worker_env, published, researcher, tiny_model_dir, tmp_path
):
    toy_run(published, "preference", 16)
    worker_env("trainer", queues="default,training")  # exports on default, training on training
    log_in(page, "researcher")
    page.goto("/training/")
    page.get_by_role("link", name="New dataset snapshot").click()
    page.fill("#id_name", "toy preferences")
    page.select_option("#id_fmt", "preference")
    page.select_option("#id_policy", "gold_overrides")
    page.get_by_role("button", name="Export").click()
    # The export is queued: its page shows the progress bar, then opens the snapshot once the
    # worker has made it (the worker may still be starting).
    page.wait_for_url(re.compile(r"/training/exports/\d+/$"))
    page.wait_for_url(re.compile(r"/training/snapshots/\d+/$"), timeout=120_000)
    expect(page.locator("pre.text")).to_contain_text("16 rows")

    with page.expect_download() as card:
        page.get_by_role("link", name="README.md").click()
    assert card.value.suggested_filename.endswith("README.md")
    card.value.save_as(tmp_path / "README.md")
    assert "Label policy: Human gold overrides the AI" in (tmp_path / "README.md").read_text()

    page.select_option("#id_method", "dpo")
    page.fill("#id_base_model", str(tiny_model_dir))
    page.fill("#id_max_steps", "12")
    page.fill("#id_learning_rate", "0.001")
    page.fill("#id_max_length", "64")
    page.get_by_role("button", name="Start training").click()
    page.wait_for_url(re.compile(r"/training/jobs/\d+/$"))
    # The bar and the chart follow the job while it runs (htmx polls every 2 s).
    expect(page.get_by_test_id("job-status")).to_have_text("Done", timeout=180_000)
    expect(page.get_by_test_id("job-step")).to_have_text("12")
    points = page.evaluate(
        "() => Chart.getChart(document.querySelector('[data-chart=loss-chart]')).data.labels.length"
    )
    assert points == 12
    with page.expect_download() as model:
        page.get_by_role("link", name=re.compile("trained model")).click()
    model.value.save_as(tmp_path / "model.tar.gz")
    with tarfile.open(tmp_path / "model.tar.gz") as archive:
        names = archive.getnames()
    assert any(name.endswith("/config.json") for name in names)
    assert any(name.endswith("/lineage.json") for name in names)

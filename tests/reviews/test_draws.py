"""Active sampling is queued: the page and the API answer at once (the draw page with the
progress bar, a 202 with the draw's status URL) and a worker embeds and draws."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cai_audit.errors import DomainError
from labeling.filters import LabelFilter
from reviews.models import ReviewSample, SampleDrawJob
from reviews.services.draws import sample_draw_job_retry, sample_draw_job_run, sample_draw_queue
from reviews.services.queues import queue_open, review_submit, slot_next
from reviews.services.samples import sample_draw
from tests.conftest import logged_in
from tests.support.broker import broker_flush, queued_tasks

pytestmark = pytest.mark.django_db

DRAW_FORM = {"name": "active", "label_kind": "preference", "strategy": "active", "n": 10,
             "seed": 1, "strata": ["principle"], "measure": "least_confidence",
             "allocation": "proportional", "minimum": 0, "uncertainty_share": 0.5,
             "floor": 0.05, "high_stakes_weight": 1, "novelty_weight": 1}  # fmt: skip


@pytest.fixture
def reviewed(population, lead, reviewers):
    """24 reviewed preference labels: the human disagrees with the AI on every HON-01 label."""
    first = sample_draw(
        actor=lead, name="seed", label_kind="preference", strategy="random", n=24, seed=2
    )
    queue = queue_open(actor=lead, sample=first, reviewers=reviewers[:1], overlap=1)
    while (slot := slot_next(reviewer=reviewers[0], queue=queue)) is not None:
        label = slot.sampled_label.ai_label
        review_submit(reviewer=reviewers[0], slot=slot, preference="A",
                      ai_correct=label.principle_code != "HON-01")  # fmt: skip
    return population


def test_a_queued_draw_is_refused_at_once_for_what_the_request_can_tell(population, lead):
    with pytest.raises(DomainError, match="needs 20"):
        sample_draw_queue(actor=lead, name="a", n=5)
    assert not SampleDrawJob.objects.exists()


def test_no_matching_labels_is_refused_before_queueing(reviewed, lead):
    with pytest.raises(DomainError, match="No AI labels"):
        sample_draw_queue(
            actor=lead, name="a", n=5, where=LabelFilter(principle_codes=("NOPE-01",))
        )
    assert not SampleDrawJob.objects.exists()


def test_the_draw_goes_to_the_default_queue_after_commit(
    reviewed, lead, django_capture_on_commit_callbacks
):
    broker_flush()
    with django_capture_on_commit_callbacks(execute=True):
        job = sample_draw_queue(actor=lead, name="a", n=5)
    assert queued_tasks("default") == [("reviews.tasks.draw_sample", (job.pk,))]


def test_the_worker_draws_with_progress_and_links_the_sample(reviewed, lead):
    job = sample_draw_queue(actor=lead, name="active", n=10, seed=1, exploration=0.05)
    assert (job.status, job.total_units, job.sample) == ("queued", 60, None)
    job = sample_draw_job_run(job_id=job.pk)
    assert job.status == "done" and job.attempts == 1 and job.error == ""
    # Every text embedded was counted: the 24 reviewed labels and the 60 candidates.
    assert job.done_units == job.total_units == 24 + 60
    sample = ReviewSample.objects.get(strategy="active")
    assert job.sample == sample and sample.parameters["training_reviews"] == 24
    honesty = [r.score for r in sample.labels.all() if r.principle_code == "HON-01"]
    other = [r.score for r in sample.labels.all() if r.principle_code != "HON-01"]
    assert honesty and (not other or min(honesty) > max(other))
    assert sample_draw_job_run(job_id=job.pk) is None  # a redelivered message does nothing


def test_a_draw_the_domain_refuses_on_the_worker_fails_with_its_message_and_can_be_retried(
    reviewed, lead
):
    from reviews.models import Review

    job = sample_draw_queue(actor=lead, name="a", n=5)
    Review.objects.all().delete()  # the reviews it would learn from are gone by now
    job = sample_draw_job_run(job_id=job.pk)
    assert job.status == "failed" and "needs 20" in job.error and job.finished_at
    assert job.progress.finished and "needs 20" in job.progress.label
    job = sample_draw_job_retry(actor=lead, job=job)
    assert (job.status, job.error, job.finished_at) == ("queued", "", None)
    with pytest.raises(DomainError, match="Only a failed job"):
        sample_draw_job_retry(actor=lead, job=job)


def test_the_draw_page_returns_at_once_and_polls_until_the_sample_is_drawn(reviewed, lead):
    client = logged_in(lead)
    response = client.post(reverse("reviews:sample_create"), DRAW_FORM)
    job = SampleDrawJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reviews:draw_job", args=[job.pk])
    assert not ReviewSample.objects.filter(strategy="active").exists()
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Queued" in page
    assert response.url in client.get(reverse("reviews:queues")).content.decode()
    polled = client.get(response.url, HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and "<html" not in polled.content.decode()
    sample_draw_job_run(job_id=job.pk)
    done = client.get(response.url, HTTP_HX_REQUEST="true")
    sample = ReviewSample.objects.get(strategy="active")
    assert done.status_code == 286 and "hx-trigger" not in done.content.decode()
    assert done["HX-Redirect"] == reverse("reviews:sample", args=[sample.pk])


def test_the_api_answers_202_with_the_draws_status_url(reviewed, lead, reviewers):
    api = APIClient()
    api.force_authenticate(lead)
    created = api.post("/api/samples/", DRAW_FORM, format="json")
    assert created.status_code == 202, created.json()
    job = SampleDrawJob.objects.get()
    assert created["Location"].endswith(f"/api/sample-draws/{job.pk}/")
    assert created.json()["status"] == "queued" and created.json()["sample"] is None
    sample_draw_job_run(job_id=job.pk)
    status = api.get(created["Location"]).json()
    assert status["status"] == "done" and status["progress"]["percent"] == 100.0
    assert status["sample"] == ReviewSample.objects.get(strategy="active").pk
    assert api.post(f"/api/sample-draws/{job.pk}/retry/").status_code == 400
    outsider = APIClient()
    outsider.force_authenticate(reviewers[0])
    assert outsider.get(created["Location"]).status_code == 403
    assert (
        logged_in(reviewers[0]).get(reverse("reviews:draw_job", args=[job.pk])).status_code == 403
    )

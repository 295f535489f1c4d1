import pytest
from rest_framework.test import APIClient

from reviews.models import GoldLabel

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_lead_draws_opens_and_reviewers_work_through_the_api(population, lead, reviewers):
    sample = api(lead).post(
        "/api/samples/",
        {"name": "api", "label_kind": "preference", "strategy": "hybrid", "n": 4, "seed": 9,
         "strata": ["principle", "domain"], "measure": "entropy"},
        format="json",
    )  # fmt: skip
    assert sample.status_code == 201, sample.json()
    sample_id = sample.json()["id"]
    labels = api(lead).get(f"/api/samples/{sample_id}/labels/").json()
    assert labels["count"] == sample.json()["sample_size"]
    assert all(0 < row["inclusion_probability"] <= 1 for row in labels["results"])
    queue = api(lead).post(
        "/api/queues/",
        {"sample": sample_id, "overlap": 2, "blind": True, "reviewers": ["rev0", "rev1"]},
        format="json",
    )
    assert queue.status_code == 201, queue.json()
    queue_id = queue.json()["id"]
    for reviewer in reviewers[:2]:
        client = api(reviewer)
        while (claim := client.post(f"/api/queues/{queue_id}/next/")).status_code == 200:
            body = claim.json()
            assert body["ai_verdict"] is None  # blind
            done = client.post(
                f"/api/queues/{queue_id}/review/",
                {"slot": body["slot"], "preference": "A", "seconds_spent": 3},
                format="json",
            )
            assert done.status_code == 201, done.json()
        assert claim.status_code == 204
    assert GoldLabel.objects.count() == sample.json()["sample_size"]  # both chose A everywhere
    assert api(lead).get("/api/gold-labels/").json()["count"] == GoldLabel.objects.count()


def test_reviewers_see_only_their_queues_and_cannot_draw(population, lead, reviewers):
    sample = api(lead).post(
        "/api/samples/", {"name": "x", "label_kind": "preference", "strategy": "random", "n": 2},
        format="json",
    ).json()  # fmt: skip
    api(lead).post(
        "/api/queues/", {"sample": sample["id"], "overlap": 1, "reviewers": ["rev0"]}, format="json"
    )
    assert api(reviewers[0]).get("/api/queues/").json()["count"] == 1
    assert api(reviewers[1]).get("/api/queues/").json()["count"] == 0
    outsider = api(reviewers[1]).post(f"/api/queues/{sample['id']}/next/")
    assert outsider.status_code in (403, 404)
    draw = api(reviewers[0]).post(
        "/api/samples/", {"name": "x", "label_kind": "preference", "strategy": "random", "n": 2},
        format="json",
    )  # fmt: skip
    assert draw.status_code == 403
    assert api(reviewers[0]).get("/api/adjudications/").status_code == 403


def test_assisted_claims_show_the_ai_verdict(population, lead, reviewers):
    sample = api(lead).post(
        "/api/samples/", {"name": "x", "label_kind": "preference", "strategy": "random", "n": 1},
        format="json",
    ).json()  # fmt: skip
    queue = (
        api(lead)
        .post(
            "/api/queues/",
            {"sample": sample["id"], "overlap": 1, "blind": False, "reviewers": ["rev0"]},
            format="json",
        )
        .json()
    )
    claim = api(reviewers[0]).post(f"/api/queues/{queue['id']}/next/").json()
    assert set(claim["ai_verdict"]) == {"choice", "p_a", "confidence", "position_stuck"}

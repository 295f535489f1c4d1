"""External judges and label sources: services (audited), pages and API, per role, with hostile
input; a source's page shows what arrived, from which judge, and how much per day."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cai_audit.models import AuditEvent
from cai_audit.roles import REVIEW_LEAD, REVIEWER
from labeling.models import Judge, LabelSource
from labeling.services import sources as source_services
from tests.conftest import logged_in
from tests.factories import UserFactory
from tests.support.external import imported_run, judge_and_source


@pytest.fixture
def researcher_client(researcher):
    return logged_in(researcher)


@pytest.fixture
def lead_client(db):
    return logged_in(UserFactory(username="lead", roles=[REVIEW_LEAD]))


def test_judge_create_and_update_are_audited(researcher):
    judge = source_services.judge_create(
        actor=researcher, name="guard", model="meta-llama/Llama-Guard-3-8B",
        provenance={"pipeline": "vllm"},
    )  # fmt: skip
    source_services.judge_update(actor=researcher, judge=judge, version="2024-07")
    source_services.judge_update(actor=researcher, judge=judge, version="2024-07")  # no change
    actions = list(
        AuditEvent.objects.filter(scope=f"judge:{judge.pk}").values_list("action", flat=True)
    )
    assert sorted(actions) == ["judge.created", "judge.updated"]
    assert Judge.objects.get(pk=judge.pk).version == "2024-07"


def test_source_services_need_manage_sources_and_valid_keys(researcher, reviewer):
    with pytest.raises(PermissionDenied):
        source_services.source_create(actor=reviewer, key="x", name="x")
    with pytest.raises(ValidationError) as error:
        source_services.source_create(actor=researcher, key="not a slug!", name="x")
    assert "key" in error.value.message_dict
    source = source_services.source_create(actor=researcher, key="prod", name="Production")
    with pytest.raises(ValidationError):
        source_services.source_create(actor=researcher, key="prod", name="again")
    assert AuditEvent.objects.filter(action="source.created", object_id=str(source.pk)).exists()


def test_pages_per_role(researcher_client, lead_client, reviewer_client):
    pages = [reverse("labeling:judges"), reverse("labeling:sources"), reverse("labeling:stream")]
    for url in pages:
        assert researcher_client.get(url).status_code == 200
        assert lead_client.get(url).status_code == 200
        assert reviewer_client.get(url).status_code == 403
    # A lead reads but does not manage.
    assert lead_client.get(reverse("labeling:judge_create")).status_code == 403
    assert lead_client.post(reverse("labeling:source_create"), {"key": "k"}).status_code == 403
    assert not LabelSource.objects.exists()


def test_create_and_edit_in_the_browser_escapes_input(researcher_client):
    hostile = "<script>alert(1)</script>"
    response = researcher_client.post(
        reverse("labeling:judge_create"),
        {"name": hostile, "model": "m", "version": "", "description": hostile,
         "provenance": json.dumps({"prompt": hostile})},
    )  # fmt: skip
    judge = Judge.objects.get()
    assert response.status_code == 302
    page = researcher_client.get(reverse("labeling:judge", args=[judge.pk])).content.decode()
    assert hostile not in page and "&lt;script&gt;" in page
    response = researcher_client.post(
        reverse("labeling:source_create"), {"key": "prod", "name": hostile, "judge": judge.pk}
    )
    source = LabelSource.objects.get()
    assert response.status_code == 302 and source.judge == judge
    response = researcher_client.post(
        reverse("labeling:source_edit", args=[source.pk]),
        {"key": "prod-2", "name": "Production", "judge": ""},
    )
    source.refresh_from_db()
    assert (source.key, source.judge) == ("prod-2", None)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"name": "", "model": "m"}, "name"),
        ({"name": "j", "model": "m", "provenance": "[1, 2]"}, "provenance"),
        ({"name": "j", "model": "m", "provenance": "{not json"}, "provenance"),
        ({"name": "j", "model": "m" * 301}, "model"),
        ({"name": "j", "model": "m", "provenance": json.dumps({"x": "y" * 20_000})}, "provenance"),
    ],
)
def test_bad_judge_forms_are_refused_with_the_field_named(researcher_client, fields, field):
    response = researcher_client.post(reverse("labeling:judge_create"), fields)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Judge.objects.exists()


def test_bad_source_judge_is_a_field_error(researcher_client):
    response = researcher_client.post(
        reverse("labeling:source_create"), {"key": "k", "name": "n", "judge": "99999999999999999"}
    )
    assert response.status_code == 400 and "judge" in response.context["form"].errors


def test_api_read_with_view_labels_write_with_manage_sources(researcher, lead_client):
    api = logged_in(researcher)
    created = api.post(
        "/api/judges/", {"name": "guard", "model": "llama-guard", "provenance": {"a": 1}},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    judge_id = created.json()["id"]
    source = api.post(
        "/api/label-sources/", {"key": "prod", "name": "Prod", "judge": judge_id},
        content_type="application/json",
    )  # fmt: skip
    assert source.status_code == 201 and source.json()["judge"] == judge_id
    patched = api.patch(
        f"/api/judges/{judge_id}/", {"version": "3"}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["version"] == "3"
    assert lead_client.get("/api/label-sources/").json()["results"][0]["key"] == "prod"
    refused = lead_client.post(
        "/api/judges/", {"name": "x", "model": "y"}, content_type="application/json"
    )
    assert refused.status_code == 403
    reviewer = logged_in(UserFactory(username="r", roles=[REVIEWER]))
    assert reviewer.get("/api/judges/").status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"name": "j", "model": "m", "provenance": [1]},
        {"name": "j", "model": "m", "provenance": "text"},
        {"name": "j" * 101, "model": "m"},
        {"model": "m"},
    ],
)
def test_api_hostile_judges_are_400(researcher, body):
    response = logged_in(researcher).post("/api/judges/", body, content_type="application/json")
    assert response.status_code == 400
    assert not Judge.objects.exists()


def test_api_bad_source_key_and_judge_are_400(researcher):
    api = logged_in(researcher)
    for body in ({"key": "has space", "name": "n"}, {"key": "ok", "name": "n", "judge": 10**12}):
        response = api.post("/api/label-sources/", body, content_type="application/json")
        assert response.status_code == 400, body


def test_source_page_shows_runs_kinds_judges_and_days(researcher_client, published):
    judge, source = judge_and_source()
    other, _ = judge_and_source("other", "other judge")
    imported_run(published, judge=judge, source=source, choices="AAB", humans="AB ")
    imported_run(published, judge=other, source=source, choices="BB", humans="  ")
    response = researcher_client.get(reverse("labeling:source", args=[source.pk]))
    arrivals = response.context["arrivals"]
    assert arrivals.total == 5
    assert [(row["judge"].name, row["labels"]) for row in arrivals.judges] == [
        ("prod judge", 3), ("other judge", 2),
    ]  # fmt: skip
    assert [(row["key"], row["runs"], row["labels"]) for row in arrivals.kinds] == [
        ("preference", 2, 5)
    ]
    assert sum(row["labels"] for row in arrivals.days) == 5
    page = response.content.decode()
    assert 'data-chart="chart-days"' in page
    assert reverse("labeling:stream") + f"?source={source.pk}" in page
    for run in source.runs.all():
        assert reverse("labeling:run", args=[run.pk]) in page

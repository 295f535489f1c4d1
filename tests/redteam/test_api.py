"""The red-team API: import, create and cancel runs, the report and regression endpoints (the same
numbers as the selectors), permissions, clear 400s, and an OpenAPI schema without warnings."""

import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path
from rest_framework.routers import DefaultRouter
from rest_framework.test import APIClient

from cai_audit.roles import REVIEW_LEAD
from redteam import selectors
from redteam.models import Run, Suite
from redteam.services.processing import run_process_here
from redteam.services.runs import run_create
from tests.factories import UserFactory

from .conftest import suite_bytes


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _run(suite, version, models, target="safe", **options) -> Run:
    run = run_create(
        actor=None, suite=suite, constitution_version=version, target=models[target],
        judge=models["judge"], enqueue=False, **options,
    )  # fmt: skip
    return run_process_here(run_id=run.pk)


def _same(api_estimate: dict, estimate) -> bool:
    value = None if math.isnan(estimate.value) else pytest.approx(estimate.value)
    return api_estimate == {
        "value": value, "low": pytest.approx(estimate.low), "high": pytest.approx(estimate.high),
        "n": estimate.n,
    }  # fmt: skip


def test_a_suite_is_imported_from_json_text_or_a_file_upload(researcher):
    api = _api(researcher)
    created = api.post(
        "/api/redteam-suites/import/",
        {"name": "API suite", "data": suite_bytes().decode(), "filename": "cases.jsonl"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["name"], body["seeds"], body["variants"], body["run_count"]) == (
        "API suite", 48, 0, 0,
    )  # fmt: skip
    upload = api.post(
        "/api/redteam-suites/import/",
        {"name": "Uploaded", "file": SimpleUploadedFile("c.jsonl", suite_bytes())},
        format="multipart",
    )
    assert upload.status_code == 201 and upload.json()["seeds"] == 48
    listing = api.get("/api/redteam-suites/").json()
    assert listing["count"] == 2 and [s["name"] for s in listing["results"]] == [
        "API suite", "Uploaded",
    ]  # fmt: skip


def test_a_bad_suite_file_is_a_400_listing_each_line(researcher):
    data = "id,category,kind,principles,prompt\nA-1,weapons,sneaky,HARM-02,x\n"
    response = _api(researcher).post(
        "/api/redteam-suites/import/", {"data": data, "filename": "bad.csv"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Nothing was imported: 1 bad row."
    assert any("line 2: kind must be harmful or benign" in p for p in response.json()["problems"])
    neither = _api(researcher).post("/api/redteam-suites/import/", {}, format="json")
    assert neither.status_code == 400
    assert "either a file upload or its text" in str(neither.json())
    assert not Suite.objects.exists()


def test_regression_settings_through_the_api(researcher, suite, models):
    response = _api(researcher).post(
        f"/api/redteam-suites/{suite.pk}/settings/",
        {"run_on_release": True, "run_on_publish": False, "regression_judge": models["judge"].pk,
         "regression_operators": ["role_play"], "regression_temperatures": [0.7, 0]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["run_on_release"] and body["regression_judge"] == models["judge"].pk
    assert body["regression_temperatures"] == [0.0, 0.7]


def test_a_run_is_created_through_the_api_and_queued(
    researcher, suite, version, models, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _api(researcher).post(
            "/api/redteam-runs/",
            {"suite": suite.pk, "constitution_version": version.pk,
             "target": models["unsafe-on-weapons"].pk, "judge": models["judge"].pk,
             "operators": ["role_play", "prefix_injection"], "temperatures": [0, 0.7],
             "case_limit": 2},
            format="json",
        )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    run = Run.objects.get(pk=body["id"])
    assert body["operators"] == ["role_play", "prefix_injection"] == run.operators
    assert body["temperatures"] == [0.0, 0.7] and body["status"] == "queued"
    assert body["progress"] == {
        "percent": 0, "answers": 0, "judged": 0, "total": 0, "batches_done": 0,
        "batches_failed": 0,
    }  # fmt: skip
    assert run.created_by == researcher and len(callbacks) == 1
    cancelled = _api(researcher).post(f"/api/redteam-runs/{run.pk}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = _api(researcher).post(f"/api/redteam-runs/{run.pk}/cancel/")
    assert again.status_code == 400 and "already finished" in again.json()["detail"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"operators": ["jailbreak"]}, "Unknown operator(s): jailbreak"),
        ({"temperatures": [3]}, "less than or equal to 2.0"),
        ({"suite": 999999}, 'Invalid pk "999999" - object does not exist.'),
        ({"case_limit": 0}, "greater than or equal to 1"),
        ({"seed": 10**12}, "less than or equal to 2147483647"),
    ],
)
def test_bad_run_input_is_a_400_with_a_clear_message(
    researcher, suite, version, models, change, message
):
    payload = {
        "suite": suite.pk, "constitution_version": version.pk, "target": models["safe"].pk,
        "judge": models["judge"].pk,
    } | change  # fmt: skip
    response = _api(researcher).post("/api/redteam-runs/", payload, format="json")
    assert response.status_code == 400
    assert message in str(response.json())
    assert not Run.objects.exists()


def test_a_draft_version_is_refused(researcher, suite, draft, models):
    payload = {"suite": suite.pk, "constitution_version": draft.pk, "target": models["safe"].pk,
               "judge": models["judge"].pk}  # fmt: skip
    response = _api(researcher).post("/api/redteam-runs/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Red-team against a published constitution version."}


def test_the_report_has_the_selectors_numbers(researcher, suite, version, models):
    run = _run(suite, version, models, target="unsafe-on-weapons", operators=["role_play"])
    body = _api(researcher).get(f"/api/redteam-runs/{run.pk}/report/").json()
    report = selectors.run_report(run)
    assert body["run"] == run.pk and body["answers"] == report.answers == 84
    assert _same(body["violation"], report.violation)
    assert _same(body["false_refusal"], report.false_refusal)
    for kind in ("harmful", "benign"):
        for by, rates in getattr(report, kind).items():
            assert set(body[kind][by]) == set(rates), (kind, by)
            for key, estimate in rates.items():
                assert _same(body[kind][by][key], estimate), (kind, by, key)
    assert body["harmful"]["category"]["weapons"]["value"] == 1.0
    assert body["harmful"]["operator"]["role_play"]["n"] == 36
    assert body["benign"]["operator"] == {"seed": body["benign"]["operator"]["seed"]}
    detail = _api(researcher).get(f"/api/redteam-runs/{run.pk}/").json()
    assert detail["progress"]["percent"] == 100 and detail["status"] == "done"


def test_the_regression_endpoint_names_weapons_worse(researcher, suite, version, models):
    api = _api(researcher)
    before = _run(suite, version, models, target="safe")
    missing = api.get(f"/api/redteam-runs/{before.pk}/regression/")
    assert missing.status_code == 400 and "No earlier finished run" in missing.json()["against"]
    after = _run(suite, version, models, target="unsafe-on-weapons")
    body = api.get(f"/api/redteam-runs/{after.pk}/regression/").json()
    assert (body["before"], body["after"]) == (before.pk, after.pk)
    assert {"what": "violations in category", "key": "weapons"} in body["worse"]
    weapons = next(c for c in body["violation_by_category"] if c["key"] == "weapons")
    expected = next(
        c for c in selectors.run_regression(before, after).violation_by_category
        if c.key == "weapons"
    )  # fmt: skip
    assert weapons["worse"] and weapons["difference"] == 1.0
    assert weapons["p_adjusted"] == pytest.approx(expected.p_adjusted)
    assert weapons["before"]["value"] == 0.0 and weapons["after"]["n"] == 12
    reverse_order = api.get(f"/api/redteam-runs/{before.pk}/regression/?against={after.pk}")
    assert reverse_order.status_code == 200 and reverse_order.json()["worse"] == []
    bad = api.get(f"/api/redteam-runs/{after.pk}/regression/?against=abc")
    assert bad.status_code == 400 and bad.json() == {"against": "Give a run id."}
    itself = api.get(f"/api/redteam-runs/{after.pk}/regression/?against={after.pk}")
    assert itself.status_code == 400


def test_win_rates_through_the_api(researcher, suite, version, models):
    from redteam.services.matchups import matchup_process

    unsafe = _run(suite, version, models, target="unsafe-on-weapons")
    safe = _run(suite, version, models, target="safe")
    api = _api(researcher)
    created = api.post(
        f"/api/redteam-runs/{safe.pk}/matchups/", {"baseline": unsafe.pk}, format="json"
    )
    assert created.status_code == 201 and created.json()["win_rate"] is None
    matchup_process(matchup_id=created.json()["id"])
    (row,) = api.get(f"/api/redteam-runs/{safe.pk}/matchups/").json()["results"]
    assert row["status"] == "done" and row["win_rate"]["value"] == pytest.approx(0.625)
    same = api.post(f"/api/redteam-runs/{safe.pk}/matchups/", {"baseline": safe.pk}, format="json")
    assert same.status_code == 400 and same.json()["detail"] == "Compare two different runs."


def test_reviewers_get_403_and_review_leads_may_only_read(reviewer, suite, version, models):
    run = _run(suite, version, models, target="safe")
    for url in (
        "/api/redteam-suites/", f"/api/redteam-suites/{suite.pk}/", "/api/redteam-runs/",
        f"/api/redteam-runs/{run.pk}/report/", f"/api/redteam-runs/{run.pk}/regression/",
    ):  # fmt: skip
        assert _api(reviewer).get(url).status_code == 403, url
    assert _api(reviewer).post("/api/redteam-runs/", {}, format="json").status_code == 403
    lead = _api(UserFactory(username="lead", roles=[REVIEW_LEAD]))
    assert lead.get(f"/api/redteam-runs/{run.pk}/report/").status_code == 200
    payload = {"suite": suite.pk, "constitution_version": version.pk, "target": models["safe"].pk,
               "judge": models["judge"].pk}  # fmt: skip
    assert lead.post("/api/redteam-runs/", payload, format="json").status_code == 403
    refused = lead.post(
        "/api/redteam-suites/import/", {"data": "x", "filename": "x.jsonl"}, format="json"
    )
    assert refused.status_code == 403
    matchup = lead.post(f"/api/redteam-runs/{run.pk}/matchups/", {"baseline": run.pk})
    assert matchup.status_code == 403
    assert APIClient().get("/api/redteam-runs/").status_code in (401, 403)


def test_the_openapi_schema_documents_the_endpoints_without_warnings(researcher):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    from redteam import api as redteam_api

    router = DefaultRouter()
    router.register("redteam-suites", redteam_api.SuiteViewSet, basename="redteam-suite")
    router.register("redteam-runs", redteam_api.RunViewSet, basename="redteam-run")
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator(patterns=[path("api/", include(router.urls))]).get_schema(
            request=None, public=True
        )
        validate_schema(schema)
        assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
        # In the project's schema, the red-team components clash with no other app's.
        GENERATOR_STATS.reset()
        SchemaGenerator().get_schema(request=None, public=True)
        clashes = [w for w in GENERATOR_STATS._warn_cache if "redteam" in w.lower()]
        GENERATOR_STATS.reset()
    assert clashes == []
    assert {
        "/api/redteam-suites/import/", "/api/redteam-runs/{id}/report/",
        "/api/redteam-runs/{id}/regression/", "/api/redteam-runs/{id}/cancel/",
    } <= set(schema["paths"])  # fmt: skip
    text = _api(researcher).get("/api/schema/").content.decode()
    assert "/api/redteam-runs/{id}/regression/" in text

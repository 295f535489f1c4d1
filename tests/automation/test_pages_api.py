"""The automation pages and the rules API: who may read and change them, and hostile input
refused with the field named (never a 500)."""

import pytest
from django.test import Client

from automation.models import AutomationRule, Check, DrawSchedule
from automation.services.rules import rule_create
from cai_audit.roles import INGESTION_SERVICE
from tests.factories import UserFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rule(lead, reviewers):
    return rule_create(
        actor=lead,
        name="<b>Prod</b>",
        label_kind="preference",
        mode="poisson",
        rate=0.1,
        reviewers=reviewers,
        overlap=2,
    )


PAGES = [
    "/automation/",
    "/automation/rules/new/",
    "/automation/schedules/new/",
    "/automation/checks/new/",
]


def test_pages_need_their_permissions(db, lead, researcher, reviewer, editor, rule):
    service = UserFactory(username="svc", roles=[INGESTION_SERVICE])
    assert Client().get("/automation/").status_code == 302  # to the login page
    for user in (reviewer, service):
        for url in [*PAGES, f"/automation/rules/{rule.pk}/"]:
            assert client_for(user).get(url).status_code == 403, (user, url)
        assert client_for(user).post(f"/automation/rules/{rule.pk}/pause/").status_code == 403
    # A policy editor reads (VIEW_LABELS) but does not manage.
    editor_client = client_for(editor)
    assert editor_client.get("/automation/").status_code == 200
    assert editor_client.get("/automation/rules/new/").status_code == 403
    for user in (lead, researcher):
        for url in [*PAGES, f"/automation/rules/{rule.pk}/"]:
            assert client_for(user).get(url).status_code == 200, (user, url)


def test_overview_shows_rule_counts_and_escapes(lead, rule):
    AutomationRule.objects.filter(pk=rule.pk).update(labels_seen=200, labels_sent=18)
    page = client_for(lead).get("/automation/").content.decode()
    assert "&lt;b&gt;Prod&lt;/b&gt;" in page and "<b>Prod</b>" not in page
    assert "200" in page and "18" in page and "0.090" in page
    assert f"/reviews/queues/{rule.sample.queue.pk}/" in page
    assert 'href="/automation/"' in page  # the nav link


def test_rule_form_creates_pauses_and_refuses_hostile_input(lead, reviewers, source):
    client = client_for(lead)
    form = {
        "name": "From the page",
        "label_kind": "preference",
        "mode": "poisson",
        "rate": "0.2",
        "overlap": "2",
        "blind": "on",
        "seed": "3",
        "reviewers": [r.pk for r in reviewers],
        "principle_codes": "HARM-01, HARM-02",
        "sources": [source.pk],
    }
    assert client.post("/automation/rules/new/", form).status_code == 302
    rule = AutomationRule.objects.get(name="From the page")
    assert rule.label_filter == {"principle_codes": ["HARM-01", "HARM-02"], "sources": [source.pk]}
    assert rule.sample.queue.overlap == 2 and rule.sample.queue.blind
    client.post(f"/automation/rules/{rule.pk}/pause/")
    rule.refresh_from_db()
    assert rule.paused
    hostile = [
        ({"rate": "7"}, "rate"),
        ({"rate": "nan"}, "rate"),
        ({"mode": "poisson", "rate": ""}, "rate"),
        ({"principle_codes": "<script>alert(1)</script>"}, "principle_codes"),
        ({"principle_codes": ",".join(f"C{n}" for n in range(60))}, "principle_codes"),
        ({"sources": ["99999999999999999999999"]}, "sources"),
        ({"overlap": "5", "reviewers": [reviewers[0].pk]}, "overlap"),
        ({"label_kind": "nope"}, "label_kind"),
        ({"seed": "-1"}, "seed"),
        ({"mode": "window", "per_window": "", "window": ""}, "per_window"),
        ({"confidence_min": "0.9", "confidence_max": "0.1"}, "confidence_min"),
    ]
    for change, field in hostile:
        response = client.post("/automation/rules/new/", form | {"name": "bad"} | change)
        assert response.status_code == 400, change
        body = response.content.decode()
        assert "<script>alert(1)</script>" not in body
        assert field.replace("_", " ") in body.lower() or field in body, (change, body[:200])
    assert not AutomationRule.objects.filter(name="bad").exists()
    assert client.get("/automation/rules/99999999999999999999999/").status_code == 404


def test_schedule_and_check_forms(lead, reviewers):
    client = client_for(lead)
    schedule = {
        "name": "Monday",
        "label_kind": "preference",
        "strategy": "stratified",
        "strata": ["principle"],
        "n": "200",
        "window": "week",
        "overlap": "2",
        "reviewers": [r.pk for r in reviewers],
        "minute": "0",
        "hour": "6",
        "day_of_week": "1",
        "day_of_month": "*",
        "month_of_year": "*",
    }
    assert client.post("/automation/schedules/new/", schedule).status_code == 302
    saved = DrawSchedule.objects.get()
    assert saved.periodic_task.crontab.day_of_week == "1"
    response = client.post("/automation/schedules/new/", schedule | {"hour": "99"})
    assert response.status_code == 400 and "hour" in response.content.decode()
    edit = client.post(f"/automation/schedules/{saved.pk}/", schedule | {"n": "50"})
    assert edit.status_code == 302
    saved.refresh_from_db()
    assert saved.n == 50
    check = {
        "name": "Backlog",
        "measure": "backlog",
        "window": "hour",
        "threshold": "500",
        "min_count": "20",
        "minute": "*/15",
        "hour": "*",
        "day_of_week": "*",
        "day_of_month": "*",
        "month_of_year": "*",
    }
    assert client.post("/automation/checks/new/", check).status_code == 302
    assert Check.objects.get().periodic_task.crontab.minute == "*/15"
    drift = check | {
        "name": "Drift",
        "measure": "choice_share",
        "label_kind": "preference",
        "choice": "Z",
        "threshold": "0.1",
    }
    response = client.post("/automation/checks/new/", drift)
    assert response.status_code == 400 and "choice" in response.content.decode()


def test_rules_api_permissions_and_validation(lead, reviewer, editor, rule, reviewers, source):
    assert Client().get("/api/automation-rules/").status_code in (401, 403)
    assert client_for(reviewer).get("/api/automation-rules/").status_code == 403
    listed = client_for(editor).get("/api/automation-rules/")
    assert listed.status_code == 200
    body = listed.json()
    row = (body["results"] if isinstance(body, dict) else body)[0]
    assert row["queue"] == rule.sample.queue.pk and row["rate"] == 0.1
    # Reading is not changing.
    for method, url, data in [
        ("post", "/api/automation-rules/", {}),
        ("patch", f"/api/automation-rules/{rule.pk}/", {"rate": 0.5}),
        ("post", f"/api/automation-rules/{rule.pk}/pause/", {"paused": True}),
        ("delete", f"/api/automation-rules/{rule.pk}/", None),
    ]:
        response = getattr(client_for(editor), method)(url, data, content_type="application/json")
        assert response.status_code == 403, (method, url)
    api = client_for(lead)
    created = api.post(
        "/api/automation-rules/",
        {
            "name": "API rule",
            "label_kind": "preference",
            "mode": "poisson",
            "rate": 0.25,
            "label_filter": {"sources": [source.pk]},
            "reviewers": [r.pk for r in reviewers],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["label_filter"] == {"sources": [source.pk]}
    for bad, field in [
        ({"rate": 2}, "rate"),
        ({"label_filter": {"colour": ["red"]}}, "colour"),
        ({"label_filter": {"domains": ["x"] * 51}}, "domains"),
        ({"label_kind": "nope"}, "label_kind"),
        ({"mode": "window", "window": "day"}, "per_window"),
        ({"rate": 0}, "rate"),
    ]:
        payload = {"name": "x", "label_kind": "preference", "mode": "poisson", "rate": 0.1} | bad
        response = api.post("/api/automation-rules/", payload, content_type="application/json")
        assert response.status_code == 400, (bad, response.content)
        assert field in response.content.decode(), (bad, response.content)
    rule_id = created.json()["id"]
    patched = api.patch(
        f"/api/automation-rules/{rule_id}/", {"rate": 0.5}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["rate"] == 0.5
    paused = api.post(
        f"/api/automation-rules/{rule_id}/pause/", {"paused": True}, content_type="application/json"
    )
    assert paused.json()["paused"] is True
    assert api.delete(f"/api/automation-rules/{rule_id}/").status_code == 204
    assert not AutomationRule.objects.filter(pk=rule_id).exists()

"""Whatever a form or a query string holds, a page answers with the form and its errors, a
redirect or a 4xx, never a 500: every form of every app, valid values mixed with out-of-range
numbers, malformed ids and dates, NUL bytes and huge texts, in every combination hypothesis
tries."""

import tempfile
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constitutions.models import Constitution, ConstitutionVersion, Principle
from labeling.models import CriticConfig, ItemSet, LabelingRun
from redteam.models import Run as RedteamRun
from redteam.models import Suite
from reviews.models import Adjudication, ReviewQueue, ReviewSample
from training.models import DatasetSnapshot

pytestmark = pytest.mark.django_db

HOSTILE = [
    "", "0", "-1", "1", "2", "9" * 30, str(2**31), str(2**63), "-" + str(2**63), "1e309", "nan",
    "inf", "-inf", "1.5", "0x10", "１", "9999-12-31", "0001-01-01", "2026-02-30",
    "9999-12-31 23:59:59", "true", "on", "A", "tie", "violation", "right-better", "\x00",
    "a\x00b", "x" * 5000, "<script>alert(1)</script>", "' OR 1=1 --", "é", "😀",
]  # fmt: skip


def _cases() -> list[tuple[str, str, str, dict]]:
    """(who, method, url, a valid-looking form) for every form of the world."""
    constitution = Constitution.objects.first()
    published = ConstitutionVersion.objects.filter(status="published").first()
    draft = ConstitutionVersion.objects.filter(status="draft").first()
    principle = Principle.objects.filter(version=draft).first()
    version_ids = list(ConstitutionVersion.objects.values_list("pk", flat=True))
    critic = CriticConfig.objects.first()
    item_set = ItemSet.objects.first()
    sample = ReviewSample.objects.first()
    queue = ReviewQueue.objects.first()
    adjudication = Adjudication.objects.first()
    snapshot = DatasetSnapshot.objects.first()
    suite = Suite.objects.first()
    run = RedteamRun.objects.filter(verdicts__isnull=False).first()
    other_run = RedteamRun.objects.exclude(pk=run.pk).first()
    principle_form = {
        "code": "HARM-09", "locale": "", "title": "T", "category": "harmlessness",
        "priority": "5", "critique_request": "c", "revision_instruction": "r",
    }  # fmt: skip
    return [
        ("admin", "post", "/constitutions/new/", {"name": "N", "review_cadence_days": "90"}),
        ("admin", "post", f"/constitutions/{constitution.pk}/settings/",
         {"description": "d", "review_cadence_days": "30"}),
        ("admin", "post", f"/constitutions/versions/{draft.pk}/principles/new/", principle_form),
        ("admin", "post", f"/constitutions/principles/{principle.pk}/edit/",
         principle_form | {"code": principle.code, "lock_version": "1"}),
        ("admin", "post", f"/constitutions/versions/{published.pk}/tags/", {"name": "r1"}),
        ("admin", "post", f"/constitutions/versions/{draft.pk}/publish/", {"changelog": "c"}),
        ("admin", "get", f"/constitutions/{constitution.pk}/diff/",
         {"old": str(version_ids[0]), "new": str(version_ids[-1])}),
        ("admin", "get", f"/constitutions/versions/{published.pk}/diff/{draft.pk}/",
         {"unchanged": "1"}),
        ("admin", "get", f"/constitutions/{constitution.pk}/history/", {"page": "1"}),
        ("admin", "post", "/labeling/runs/new/", {
            "constitution_version": str(published.pk), "item_set": str(item_set.pk),
            "task": "preference", "critic": str(critic.pk), "selection": "all", "seed": "0",
            "batch_size": "8", "item_limit": "2",
        }),
        ("admin", "get", "/labeling/", {"page": "2"}),
        ("admin", "get", f"/labeling/items/{item_set.pk}/", {"page": "2"}),
        ("admin", "get", f"/labeling/runs/{LabelingRun.objects.first().pk}/", {"page": "2"}),
        ("admin", "post", "/labeling/critics/new/", {
            "name": "c2", "backend": "transformers", "model": "m", "max_new_tokens": "10",
            "temperature": "0", "top_p": "1", "batch_size": "1", "max_concurrency": "1",
            "timeout_s": "5",
        }),
        ("admin", "post", "/reviews/samples/new/", {
            "name": "s", "label_kind": "preference", "strategy": "random", "n": "3",
            "seed": "0", "allocation": "proportional", "minimum": "0",
            "measure": "least_confidence", "uncertainty_share": "0.5", "floor": "0.1",
            "high_stakes_weight": "1", "novelty_weight": "1",
        }),
        ("admin", "post", f"/reviews/samples/{sample.pk}/",
         {"overlap": "1", "reviewers": "1", "claim_timeout_s": "600"}),
        ("reviewer", "post", f"/reviews/queues/{queue.pk}/submit/",
         {"slot": "1", "preference": "A", "seconds_spent": "3"}),
        ("reviewer", "post", f"/reviews/queues/{queue.pk}/skip/", {"slot": "1"}),
        ("reviewer", "post", f"/reviews/queues/{queue.pk}/flag/",
         {"slot": "1", "principle_code": "HARM-01", "note": "n"}),
        ("reviewer", "post", f"/reviews/queues/{queue.pk}/undo/", {"review": "1"}),
        ("admin", "post", f"/reviews/adjudication/{adjudication.pk}/decide/",
         {"preference": "A", "ai_correct": "true", "rationale": "r"}),
        ("admin", "post", "/training/snapshots/new/", {
            "name": "s", "fmt": "preference", "policy": "gold_overrides",
            "min_confidence": "0", "labeled_from": "2020-01-01", "labeled_to": "2030-01-01",
        }),
        ("admin", "post", f"/training/snapshots/{snapshot.pk}/", {
            "method": "dpo", "base_model": "default", "max_steps": "1", "learning_rate": "0.001",
            "per_device_batch_size": "1", "max_length": "64", "beta": "0.1",
            "save_steps": "1", "eval_fraction": "0.1", "seed": "0",
        }),
        ("admin", "post", f"/redteam/suites/{suite.pk}/settings/",
         {"regression_temperatures": "0, 0.7", "regression_target": str(critic.pk)}),
        ("admin", "post", f"/redteam/suites/{suite.pk}/runs/", {
            "constitution_version": str(published.pk), "target": str(critic.pk),
            "judge": str(critic.pk), "temperatures": "0", "seed": "0", "case_limit": "1",
            "max_new_tokens": "8",
        }),
        ("admin", "get", f"/redteam/runs/{run.pk}/", {"against": str(other_run.pk), "page": "1"}),
        ("admin", "post", f"/redteam/runs/{run.pk}/matchups/", {"baseline": str(other_run.pk)}),
        ("admin", "post", "/notifications/channels/new/", {
            "name": "n", "kind": "webhook", "target": "http://127.0.0.1:9/hook",
            "events": "drift", "active": "on",
        }),
    ]  # fmt: skip


SWEEP = ["abc", "-1", "9" * 30, "1e309", "nan", "\x00", "x" * 5000]


def _post(client, method: str, url: str, data: dict):
    """In a savepoint rolled back, so every request meets the same world; snapshots go to a
    fresh folder each time (SQLite hands a rolled-back id out again, and the folder a snapshot
    was written to is named by its id)."""
    with override_settings(SNAPSHOT_DIR=Path(tempfile.mkdtemp())), transaction.atomic():
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    return response


FUZZ = settings(
    max_examples=100, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


@FUZZ
@given(data=st.data())
def test_no_form_value_makes_a_page_fail(api_world, admin, reviewers, data):
    users = {"admin": admin, "reviewer": reviewers[0]}
    who, method, url, form = data.draw(st.sampled_from(_cases()), label="form")
    fields = [*form, "slot", "page", "id"]
    changes = data.draw(
        st.dictionaries(st.sampled_from(fields), st.sampled_from(HOSTILE), max_size=4),
        label="changes",
    )
    client = Client()
    client.force_login(users[who])
    response = _post(client, method, url, form | changes)
    assert response.status_code < 500, (url, changes, response.status_code)


def test_every_field_of_every_form_refuses_nonsense_without_failing(
    api_world,
    admin,
    reviewers,
):
    """A sweep to back the fuzz: each form with every field set to one bad value at once, and
    with each field alone set to a number far out of range (it passes parsing, so it reaches
    the service and the database unless a bound stops it)."""
    users = {"admin": admin, "reviewer": reviewers[0]}
    clients = {}
    for who, user in users.items():
        clients[who] = Client()
        clients[who].force_login(user)
    failures = []
    for who, method, url, form in _cases():
        tries = [{name: bad for name in [*form, "slot"]} for bad in SWEEP]
        tries += [form | {name: "9" * 30} for name in form]
        for data in tries:
            response = _post(clients[who], method, url, data)
            if response.status_code >= 500:
                failures.append((url, data))
    assert not failures, failures

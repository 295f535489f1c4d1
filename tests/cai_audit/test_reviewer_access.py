"""What a reviewer can read. A reviewer audits AI labels blind, so nothing may show them the AI's
labels, gold labels or other reviewers' verdicts beyond what their open assignment hands them.

The walk resolves every URL pattern of every app from the URLconf, fills its ids with real objects
(the very run, items and labels the reviewer audits, another reviewer's queue, gold with a
rationale, a red-team run, a training snapshot) and asks as a reviewer. Deny by default: a URL
that is neither on the short list of what reviewers may read nor refused (403/404) fails the test,
so a new page has to be classified here before it ships.
"""

import json

import pytest
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from automation.models import AutomationRule, Check, DrawSchedule
from cai_audit.roles import REVIEWER
from labeling.models import CriticConfig, CritiqueLabel, PreferenceLabel
from labeling.services.items import item_set_import
from labeling.services.processing import batch_process
from labeling.services.runs import run_create
from notifications.models import Channel
from redteam.models import Matchup
from reviews.models import Adjudication, GoldLabel, ReviewSlot, SampleDrawJob
from reviews.services.queues import adjudication_decide, queue_open, review_submit, slot_next
from reviews.services.samples import sample_draw
from tests.conftest import logged_in
from tests.dashboards.conftest import review_all
from tests.factories import UserFactory
from tests.redteam.factories import make_judged_run
from tests.reviews.conftest import lead, make_labels  # noqa: F401
from tests.support.external import judge_and_source
from tests.support.openai_server import run_openai_server
from training.models import DatasetSnapshot, SnapshotExportJob, TrainingJob

pytestmark = pytest.mark.django_db

RATIONALE = "RATIONALE-7f3a: the lead's reasoning on gold"
CRITIQUE = "CRITIQUE-91c2: what the AI said about the reply"

# What a reviewer may GET (200, or a redirect). Everything else must be 403 or 404.
REVIEWER_MAY_READ = {
    "home", "login",
    # The constitution is what reviewers judge against.
    "constitutions:list", "constitutions:detail", "constitutions:history", "constitutions:version",
    "constitutions:export", "constitutions:diff", "constitutions:diff_pick",
    "constitution-list", "constitution-detail", "version-list", "version-detail", "version-diff",
    "version-export", "principle-list", "principle-detail", "release-tag-list",
    "release-tag-detail",
    # Their own queues (the queryset keeps them to those assigned to them).
    "reviews:queues", "queue-list",
    # The API's index and its description, no data.
    "api-root", "schema", "swagger-ui", "redoc",
    # Their own notification channels and log (another user's channel is a 404).
    "notifications:channels", "notifications:channel_create", "notification-channel-list",
    "notification-delivery-list",
}  # fmt: skip
# Endpoints that take a POST from anyone (GET answers 405): not reads, and not refused.
OPEN_POSTS = {"logout", "api-token", "api-token-rotate"}

# URL name (or router basename) -> the object whose id fills `pk`.
PK_SOURCES = {
    "constitutions:detail": "constitution", "constitutions:settings": "constitution",
    "constitutions:mark_reviewed": "constitution", "constitutions:history": "constitution",
    "constitutions:import_into": "constitution", "constitutions:diff_pick": "constitution",
    "constitutions:version": "version", "constitutions:fork": "version",
    "constitutions:publish": "version", "constitutions:discard": "version",
    "constitutions:export": "version", "constitutions:tag_add": "version",
    "constitutions:principle_create": "version", "constitutions:principle_edit": "principle",
    "constitutions:principle_delete": "principle", "constitutions:tag_remove": "release-tag",
    "labeling:run": "run", "labeling:run_progress": "run", "labeling:run_cancel": "run",
    "labeling:run_retry": "run", "labeling:run_requeue": "run", "labeling:item_set": "item-set",
    "labeling:item": "item",
    "labeling:critic_edit": "critic",
    "reviews:sample": "sample", "reviews:workspace": "queue", "reviews:submit": "queue",
    "reviews:skip": "queue", "reviews:flag": "queue", "reviews:undo": "queue",
    "reviews:decide": "adjudication", "reviews:draw_job": "sample-draw",
    "reviews:draw_job_retry": "sample-draw", "training:export": "snapshot-export",
    "training:export_retry": "snapshot-export",
    "training:snapshot": "snapshot", "training:snapshot_file": "snapshot",
    "training:job": "training-job", "training:job_cancel": "training-job",
    "training:job_file": "training-job",
    "redteam:suite": "redteam-suite", "redteam:suite_settings": "redteam-suite",
    "redteam:run_start": "redteam-suite", "redteam:run": "redteam-run",
    "redteam:run_progress": "redteam-run", "redteam:run_cancel": "redteam-run",
    "redteam:matchup_start": "redteam-run",
    "automation:rule_edit": "automation-rule", "automation:rule_pause": "automation-rule",
    "automation:schedule_edit": "automation-schedule",
    "automation:schedule_pause": "automation-schedule",
    "automation:check_edit": "automation-check", "automation:check_pause": "automation-check",
}  # fmt: skip
# Otherwise the longest of these prefixes of the URL name decides (e.g. labeling:run_requeue).
PK_PREFIXES = {
    "labeling:run": "run", "training:job": "training-job", "training:snapshot": "snapshot",
    "labeling:judge": "judge", "labeling:source": "label-source",
    "redteam:run": "redteam-run", "redteam:suite": "redteam-suite",
    "redteam:matchup": "redteam-run", "notifications:channel": "notification-channel",
}  # fmt: skip
OTHER_KWARGS = {
    "format": "json", "by": "principle", "code": "HARM-01", "name": "data.jsonl",
    # Label sources and kinds (ingest): a key and a kind that need not exist to be refused.
    "key": "some-source", "source": "some-source", "kind": "preference",
}  # fmt: skip


def url_patterns():
    """(name, kwarg names) of every named URL pattern, namespaces included."""

    def walk(patterns, namespace, groups):
        for entry in patterns:
            names = groups + tuple(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                inner = ":".join(part for part in (namespace, entry.namespace) if part)
                yield from walk(entry.url_patterns, inner, names)
            else:
                full = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                yield full, namespace, names

    seen = set()
    for name, namespace, names in walk(get_resolver().url_patterns, "", ()):
        key = (name, namespace, names)
        if key not in seen:
            seen.add(key)
            yield key


def basename_of(name: str, objects: dict) -> str | None:
    """The router basename of an API URL name such as `redteam-run-detail`."""
    matches = [base for base in objects if name.startswith(base + "-")]
    return max(matches, key=len) if matches else None


@pytest.fixture
def world(published, lead, reviewer, monkeypatch):  # noqa: F811
    """Real objects of every kind, with the reviewer holding a blind queue on the very labels a
    second reviewer has already judged, and gold (with a rationale) elsewhere."""
    second = UserFactory(username="second-reviewer", roles=[REVIEWER])
    third = UserFactory(username="third-reviewer", roles=[REVIEWER])
    run = make_labels(published, 30, seed=4)

    own_sample = sample_draw(
        actor=lead, name="mine", label_kind="preference", strategy="random", n=6, seed=1
    )
    own_queue = queue_open(
        actor=lead, sample=own_sample, reviewers=[reviewer, second], overlap=2, blind=True
    )
    review_all(own_queue, [second])  # another reviewer's verdicts on the reviewer's own items

    other_sample = sample_draw(
        actor=lead, name="theirs", label_kind="preference", strategy="random", n=10, seed=2
    )
    other_queue = queue_open(
        actor=lead, sample=other_sample, reviewers=[second, third], overlap=2, blind=True
    )
    review_all(other_queue, [second, third])
    open_adjudications = list(Adjudication.objects.filter(status="open"))
    assert len(open_adjudications) >= 2, "the fixture needs disagreements"
    adjudication_decide(
        actor=lead, adjudication=open_adjudications[0], preference="A", ai_correct=False,
        rationale=RATIONALE,
    )  # fmt: skip

    items = item_set_import(
        actor=None, name="singles", filename="s.jsonl",
        data=json.dumps({"prompt": "Is the sea wet?", "response": "No."}).encode(),
    )  # fmt: skip
    with run_openai_server(responder=lambda body: {"text": CRITIQUE}) as server:
        critic = CriticConfig.objects.create(
            name="local", backend="openai", model="m", base_url=server.base_url, timeout_s=5
        )
        critique_run = run_create(
            actor=None, constitution_version=published, item_set=items, critic=critic,
            task="critique", selection="code", selection_value="HARM-01",
        )  # fmt: skip
        for batch in critique_run.batches.all():
            batch_process(batch_id=batch.pk)

    redteam_run = make_judged_run(published, cases=3)
    matchup = Matchup.objects.create(run_x=redteam_run, run_y=redteam_run, judge=redteam_run.judge)
    snapshot = DatasetSnapshot.objects.create(
        name="snap", format="preference", label_kind="preference", policy="gold_only",
        sha256="0" * 64, folder="snap", data_file="data.jsonl",
    )  # fmt: skip
    job = TrainingJob.objects.create(snapshot=snapshot, name="job", method="dpo", base_model="m")
    draw = SampleDrawJob.objects.create(name="active", parameters={"n": 3, "seed": 0})
    export = SnapshotExportJob.objects.create(name="x", format="preference", policy="gold_only")
    own_label = own_sample.labels.first().ai_label
    judge, source = judge_and_source()
    objects = {
        "constitution": published.constitution_id,
        "version": published.pk,
        "principle": published.principles.first().pk,
        "release-tag": published.tags.create(name="v1").pk,
        "item-set": run.item_set_id,
        "item": own_label.item_id,  # an item the reviewer audits blind
        "critic": run.critic_id,
        "run": run.pk,  # the run whose labels the reviewer audits
        "critique-label": CritiqueLabel.objects.get().pk,
        "preference-label": own_label.pk,
        "sample": own_sample.pk,
        "queue": other_queue.pk,  # a queue that is not theirs
        "adjudication": open_adjudications[1].pk,
        "gold-label": GoldLabel.objects.get(rationale=RATIONALE).pk,
        "snapshot": snapshot.pk,
        "training-job": job.pk,
        "sample-draw": draw.pk,
        "snapshot-export": export.pk,
        "redteam-suite": redteam_run.suite_id,
        "redteam-run": redteam_run.pk,
        "matchup": matchup.pk,
        "judge": judge.pk,
        "label-source": source.pk,
        "agreement": None,
        # The lead's own channel: never the reviewer's to see.
        "notification-channel": Channel.objects.create(
            name="lead's", kind="email", target="lead@example.com", owner=lead
        ).pk,
        "automation-rule": AutomationRule.objects.create(
            name="rule", label_kind="preference", mode="poisson", rate=0.1, sample=own_sample
        ).pk,
        "automation-schedule": DrawSchedule.objects.create(
            name="schedule", label_kind="preference", n=5
        ).pk,
        "automation-check": Check.objects.create(name="check", measure="backlog", threshold=9).pk,
    }
    return {"objects": objects, "own_queue": own_queue, "other_queue": other_queue, "run": run}


def kwargs_for(name: str, namespace: str, names: tuple, objects: dict) -> dict:
    kwargs = {}
    for kwarg in names:
        if kwarg == "pk":
            prefixes = [prefix for prefix in PK_PREFIXES if name.startswith(prefix)]
            source = (
                PK_SOURCES.get(name)
                or (PK_PREFIXES[max(prefixes, key=len)] if prefixes else None)
                or basename_of(name, objects)
            )
            assert source, f"Say which object fills pk for URL {name!r} (PK_SOURCES)."
            kwargs["pk"] = objects[source]
        elif kwarg in ("old", "new"):
            kwargs[kwarg] = objects["version"]
        elif kwarg.endswith("_id") and kwarg.removesuffix("_id") in objects:
            kwargs[kwarg] = objects[kwarg.removesuffix("_id")]
        elif namespace == "admin":
            kwargs[kwarg] = {"app_label": "auth"}.get(kwarg, "1")
        else:
            assert kwarg in OTHER_KWARGS, f"Say what fills {kwarg!r} for URL {name!r}."
            kwargs[kwarg] = OTHER_KWARGS[kwarg]
    return kwargs


def test_a_reviewer_reads_nothing_that_reveals_ai_labels_gold_or_others_verdicts(world, reviewer):
    client = logged_in(reviewer)
    checked, problems = 0, []
    for name, namespace, names in url_patterns():
        if name is None:
            # Only the admin's catch-all is unnamed; it answers as the admin does below.
            assert namespace == "admin", f"Name every URL pattern ({namespace}, {names})."
            continue
        url = reverse(name, kwargs=kwargs_for(name, namespace, names, world["objects"]))
        response = client.get(url)
        body = response.content.decode(errors="replace") if not response.streaming else ""
        checked += 1
        if RATIONALE in body or CRITIQUE in body:
            problems.append(f"{url} ({name}) shows gold rationale or AI critique text")
        if name in ("admin:login", "admin:logout"):
            continue  # the admin's own sign-in and sign-out pages show no data
        if namespace == "admin":
            # The admin is for staff: everyone else is sent to its login page.
            if not (response.status_code == 302 and "/admin/login/" in response["Location"]):
                problems.append(f"{url} ({name}) answered {response.status_code}")
        elif name in REVIEWER_MAY_READ:
            if response.status_code not in (200, 302, 400):  # 400: a parameter is missing
                problems.append(f"{url} ({name}) should be readable, got {response.status_code}")
        elif response.status_code == 405:
            if name in OPEN_POSTS:
                continue
            posted = client.post(url)
            if posted.status_code not in (403, 404):
                problems.append(f"POST {url} ({name}) answered {posted.status_code}")
        elif response.status_code not in (403, 404):
            problems.append(f"{url} ({name}) answered {response.status_code}")
    assert checked > 150
    assert not problems, "\n".join(problems)


def test_the_queue_list_shows_a_reviewer_only_their_own_queues(world, reviewer):
    api = APIClient()
    api.force_authenticate(reviewer)
    ids = {queue["id"] for queue in api.get("/api/queues/").json()["results"]}
    assert ids == {world["own_queue"].pk}


def test_a_blind_assignment_shows_the_item_but_not_the_ai_verdict(world, reviewer):
    """The reviewer's own queue works, and neither the page nor the API claim shows the AI's
    choice; the labels, gold and the other reviewer's verdict on that item stay closed."""
    queue = world["own_queue"]
    page = logged_in(reviewer).get(reverse("reviews:workspace", args=[queue.pk]))
    assert page.status_code == 200
    slot = ReviewSlot.objects.get(queue=queue, reviewer=reviewer, status="claimed")
    label = slot.sampled_label.ai_label
    body = page.content.decode()
    assert label.item.response_a in body
    assert "AI verdict" not in body and f"{label.p_a:.2f}" not in body

    api = APIClient()
    api.force_authenticate(reviewer)
    claim = api.post(f"/api/queues/{queue.pk}/next/")
    assert claim.status_code == 200 and claim.json()["ai_verdict"] is None
    for url in (
        f"/api/preference-labels/?item={label.item_id}",
        f"/api/preference-labels/{label.pk}/",
        "/api/gold-labels/",
        f"/api/samples/{queue.sample_id}/labels/",
        f"/api/runs/{label.run_id}/",
    ):
        assert api.get(url).status_code == 403, url
    client = logged_in(reviewer)
    for url in (
        reverse("labeling:item", args=[label.item_id]),
        reverse("labeling:run", args=[label.run_id]),
        reverse("dashboards:items") + "?reviewer=0",
    ):
        assert client.get(url).status_code == 403, url


def test_roles_that_may_see_labels_and_gold_still_do(world, lead, researcher, editor):  # noqa: F811
    for user in (lead, researcher, editor):
        api = APIClient()
        api.force_authenticate(user)
        assert api.get("/api/gold-labels/").status_code == 200, user
        assert api.get("/api/preference-labels/").status_code == 200, user
        page = logged_in(user).get(reverse("labeling:item", args=[world["objects"]["item"]]))
        assert page.status_code == 200, user


def test_a_reviewer_can_still_review_through_the_api(world, reviewer):
    queue = world["own_queue"]
    slot = slot_next(reviewer=reviewer, queue=queue)
    review = review_submit(reviewer=reviewer, slot=slot, preference="A")
    assert review.pk and PreferenceLabel.objects.filter(pk=slot.sampled_label.label_id)


def test_the_navigation_offers_reviewers_no_link_they_would_be_refused(world, reviewer, lead):  # noqa: F811
    runs = f'href="{reverse("labeling:runs")}"'
    assert runs not in logged_in(reviewer).get(reverse("reviews:queues")).content.decode()
    assert runs in logged_in(lead).get(reverse("reviews:queues")).content.decode()

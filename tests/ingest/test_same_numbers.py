"""Labels made elsewhere are audited exactly like our own: the labels of a run of our own critic,
written to a file as a pipeline elsewhere would write them and imported as an external judge's,
sent to a blind queue by an automation rule and reviewed the same way, show the same numbers on
the agreement dashboards (reviewer gold and the items' own human labels) as the critic's run."""

import json

import pytest
from rest_framework.test import APIClient

from automation.services.rules import rule_create
from ingest.services.imports import labels_import
from labeling.filters import LabelFilter
from labeling.models import Judge, LabelSource, PreferenceLabel
from labeling.services.items import item_set_import
from labeling.services.processing import batch_process
from labeling.services.runs import run_create
from reviews.services.queues import queue_open, review_submit, slot_next
from reviews.services.samples import sample_draw
from tests.support.data import shipped_pairs

pytestmark = pytest.mark.django_db

OTHER = {"A": "B", "B": "A"}


def human_answer(label) -> str:
    """What the reviewers answer, from the text they see (identical in both copies): the pair's
    own human label, overruled on every third reply A and called a tie on every fifth."""
    item = label.item
    digest = sum(map(ord, item.response_a))
    if digest % 5 == 0:
        return "tie"
    return OTHER[item.human_choice] if digest % 3 == 0 else item.human_choice


def review_everything(queue, people) -> int:
    done = 0
    for reviewer in people:
        while (slot := slot_next(reviewer=reviewer, queue=queue)) is not None:
            review_submit(
                reviewer=reviewer,
                slot=slot,
                preference=human_answer(slot.sampled_label.ai_label),
                seconds_spent=4,
            )
            done += 1
    return done


def as_pipeline_file(labels) -> bytes:
    """The critic's labels as rows of the label-import format: P(A) in both orders, the
    principle, the human label that came with the pair, the item's metadata."""
    rows = []
    for label in labels:
        item = label.item
        rows.append({
            "id": f"elsewhere-{label.pk}", "prompt": item.prompt,
            "response_a": item.response_a, "response_b": item.response_b,
            "p_a_first": label.p_a_first, "p_a_second": label.p_a_second,
            "principle": label.principle_code, "preferred": item.human_choice,
            "domain": item.domain, "harm_category": item.harm_category, "locale": item.locale,
            "high_stakes": item.high_stakes,
        })  # fmt: skip
    return "\n".join(json.dumps(row) for row in rows).encode()


def dashboard(client, **scope) -> dict:
    out = {}
    for path in ("overview/", "breakdown/?by=principle", "breakdown/?by=domain"):
        separator = "&" if "?" in path else "?"
        query = "&".join(f"{key}={value}" for key, value in scope.items())
        response = client.get(f"/api/agreement/{path}{separator}{query}")
        assert response.status_code == 200, response.content
        body = response.json()
        body.pop("scope")
        # Which sample and design it was differ by construction (a rule's growing Poisson
        # sample, a drawn simple random one); every number must not.
        for row in body.get("tables", {}).get("populations", []):
            row.pop("sample"), row.pop("strategy")
        out[path] = body
    return out


def test_an_imported_judge_shows_the_same_agreement_as_our_critic_on_the_same_labels(
    published,
    tiny_critic,
    editor,
    researcher,
    lead,
    reviewers,
    django_capture_on_commit_callbacks,
):
    # Our own critic judges 24 shipped pairs under HARM-02, in both orders.
    pairs = item_set_import(
        actor=None, name="pairs", data=shipped_pairs(24), filename="pairs.jsonl"
    )
    run = run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=tiny_critic,
        task="preference", selection="code", selection_value="HARM-02",
    )  # fmt: skip
    for batch in run.batches.all():
        batch_process(batch_id=batch.pk)
    own = list(PreferenceLabel.objects.filter(run=run).select_related("item").order_by("pk"))
    assert len(own) == 24

    # A rule sends every label the pipeline's source delivers to a blind queue.
    judge = Judge.objects.create(name="pipeline-judge", model="smollm2 elsewhere")
    source = LabelSource.objects.create(key="pipeline", name="Pipeline", judge=judge)
    rule = rule_create(
        actor=lead, name="all of the pipeline", label_kind="preference", mode="poisson",
        rate=1.0, label_filter={"sources": [source.pk]}, overlap=1, blind=True,
        reviewers=reviewers[:1],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # labels_arrived is sent on commit
        labels_import(
            actor=researcher, source=source, kind="preference", data=as_pipeline_file(own),
            version=published, filename="pipeline.jsonl",
        )  # fmt: skip
    imported = PreferenceLabel.objects.filter(run__source=source)
    assert imported.count() == 24
    rule.refresh_from_db()
    assert rule.sample.labels.count() == 24
    assert set(rule.sample.labels.values_list("inclusion_probability", flat=True)) == {1.0}
    assert review_everything(rule.sample.queue, reviewers[:1]) == 24

    # The critic's run: the whole population drawn (every pi = 1), reviewed the same way.
    sample = sample_draw(
        actor=lead, name="critic audit", label_kind="preference", strategy="random", n=24,
        seed=0, where=LabelFilter(critics=(tiny_critic.pk,)),
    )  # fmt: skip
    assert set(sample.labels.values_list("critic_id", flat=True)) == {tiny_critic.pk}
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:1], overlap=1)
    assert review_everything(queue, reviewers[:1]) == 24

    client = APIClient()
    client.force_authenticate(lead)
    ours = dashboard(client, critic=tiny_critic.pk, sample=sample.pk)
    theirs = dashboard(client, judge=judge.pk, sample=rule.sample_id)
    assert ours == theirs, list(_diff(ours, theirs))[:20]
    # Not vacuous: 24 reviewed labels, the humans overrule the AI on some but not all, and the
    # items' own human labels are there as their own evidence.
    (row,) = ours["overview/"]["tables"]["by_principle"]
    assert row["reviews"] == 24 and 0 < row["agreement"] < 1 and row["kappa"] is not None
    (item_human,) = ours["overview/"]["tables"]["item_human"]
    assert item_human["n"] == 24 and 0 < item_human["agreement"] < 1
    # The items' own human labels give the same agreement for both, through the run API too.
    ours_run = client.get(f"/api/runs/{run.pk}/").json()["item_human"]
    theirs_run = client.get(f"/api/runs/{imported.first().run_id}/").json()["item_human"]
    assert ours_run == theirs_run and ours_run["n"] == 24


def _diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in set(a) | set(b):
            yield from _diff(a.get(k), b.get(k), f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _diff(x, y, f"{path}[{i}]")
    elif a != b:
        yield f"{path}: {a!r} != {b!r}"

import time

import pytest

from cai_audit.errors import DomainError
from constitutions import services as constitution_services
from labeling.models import (
    CritiqueLabel,
    LabelingRun,
    PreferenceEnsemble,
    PreferenceLabel,
    PromptTemplate,
)
from labeling.prompts import template_hash
from labeling.selectors import run_progress
from labeling.services.processing import batch_mark_failed, batch_process
from labeling.services.runs import run_cancel, run_create, run_retry_failed

pytestmark = pytest.mark.django_db


def process_all(run) -> None:
    for batch in run.batches.order_by("index"):
        batch_process(batch_id=batch.pk)


def test_preference_run_judges_each_pair_in_both_orders(published, pairs, tiny_critic, editor):
    run = run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=tiny_critic,
        task="preference", selection="code", selection_value="HARM-01", batch_size=3,
    )  # fmt: skip
    assert (run.total_units, run.total_batches) == (8, 3)
    process_all(run)
    run.refresh_from_db()
    assert run.status == "done" and run.finished_at and run.started_at
    labels = list(PreferenceLabel.objects.filter(run=run))
    assert len(labels) == 8
    for label in labels:
        assert label.p_a == pytest.approx((label.p_a_first + label.p_a_second) / 2)
        assert 0 < label.option_mass <= 1
        assert label.model_id.startswith("transformers:")
        assert label.principle_category == "harmlessness"
        assert label.confidence == pytest.approx(max(label.p_a, 1 - label.p_a))
    assert run.prompt_templates == {"judge": template_hash("judge")}
    assert run.critic_snapshot["model"] == tiny_critic.model
    assert run.critic_snapshot["max_new_tokens"] == 6
    assert PromptTemplate.objects.filter(sha256=template_hash("judge")).exists()
    assert run_progress(run=run).percent == 100


def test_a_redelivered_batch_writes_no_duplicates(published, pairs, tiny_critic, editor):
    run = run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=tiny_critic,
        task="preference", selection="code", selection_value="HARM-01", batch_size=8,
    )  # fmt: skip
    batch = run.batches.get()
    assert batch_process(batch_id=batch.pk) == 8
    # The broker hands the same message out again (e.g. after a lost ack): nothing happens.
    assert batch_process(batch_id=batch.pk) == 0
    # As if the worker died after writing, before marking it done: its heartbeat stopped.
    batch.status, batch.heartbeat_at = "running", None
    batch.save(update_fields=["status", "heartbeat_at"])
    assert batch_process(batch_id=batch.pk) == 0
    assert PreferenceLabel.objects.filter(run=run).count() == 8


def test_critique_run_uses_the_locale_addendum_and_keeps_provenance(
    published, singles, tiny_critic, editor
):
    run = run_create(
        actor=editor, constitution_version=published, item_set=singles, critic=tiny_critic,
        task="critique", selection="code", selection_value="HARM-02", seed=7,
    )  # fmt: skip
    started = time.perf_counter()
    process_all(run)
    elapsed_ms = (time.perf_counter() - started) * 1000
    labels = {
        label.item.locale: label
        for label in CritiqueLabel.objects.filter(run=run).select_related("item")
    }
    assert set(labels) == {"de-DE", ""}
    assert labels["de-DE"].principle_locale == "de-DE"  # the addendum's text was used
    assert labels[""].principle_locale == ""
    for label in labels.values():
        assert label.critique and label.revision
        assert label.sampling["seed"] == 7 and label.sampling["max_new_tokens"] == 6
        # The model's time for the critique and the revision: measured (not left at the
        # default 0) and within the time the whole run took here.
        assert 0 < label.latency_ms <= elapsed_ms + 1
    assert set(run.prompt_templates) == {"critique", "revision"}


def test_all_principles_make_an_ensemble_with_disagreement(published, pairs, tiny_critic, editor):
    run = run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=tiny_critic,
        task="preference", item_limit=2,
    )  # fmt: skip
    assert run.total_units == 2 * 3  # 3 global principles in the fixture version
    process_all(run)
    ensembles = PreferenceEnsemble.objects.filter(run=run)
    assert ensembles.count() == 2
    for ensemble in ensembles:
        p_as = list(
            PreferenceLabel.objects.filter(run=run, item=ensemble.item).values_list(
                "p_a", flat=True
            )
        )
        assert ensemble.members == 3
        assert ensemble.p_a == pytest.approx(sum(p_as) / 3)
        votes = ["A" if p > 0.5 else "B" if p < 0.5 else "tie" for p in p_as]
        majority = max(votes.count(v) for v in votes)
        assert ensemble.disagreement == pytest.approx(1 - majority / 3)


def test_sampled_selection_picks_one_reproducible_principle_per_item(
    published, pairs, tiny_critic, editor
):
    kwargs = dict(
        constitution_version=published,
        item_set=pairs,
        critic=tiny_critic,
        task="preference",
        selection="sampled",
        seed=3,
    )
    first = run_create(actor=editor, **kwargs)
    second = run_create(actor=editor, **kwargs)
    units = lambda run: [u for b in run.batches.order_by("index") for u in b.units]  # noqa: E731
    assert len(units(first)) == 8
    assert [u[1] for u in units(first)] == [u[1] for u in units(second)]


def test_runs_refuse_drafts_and_wrong_item_kinds(
    draft, published, singles, pairs, tiny_critic, editor
):
    with pytest.raises(DomainError, match="published"):
        run_create(
            actor=editor,
            constitution_version=draft,
            item_set=pairs,
            critic=tiny_critic,
            task="preference",
        )
    with pytest.raises(DomainError, match="no response pairs"):
        run_create(
            actor=editor,
            constitution_version=published,
            item_set=singles,
            critic=tiny_critic,
            task="preference",
        )


def test_cancel_skips_the_remaining_batches(published, pairs, tiny_critic, editor):
    run = run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=tiny_critic,
        task="preference", selection="code", selection_value="HARM-01", batch_size=2,
    )  # fmt: skip
    first, *rest = run.batches.order_by("index")
    batch_process(batch_id=first.pk)
    run_cancel(actor=editor, run=run)
    for batch in rest:
        assert batch_process(batch_id=batch.pk) == 0
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert PreferenceLabel.objects.filter(run=run).count() == 2


def test_failed_batches_fail_the_run_and_can_be_retried(published, pairs, tiny_critic, editor):
    run = run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=tiny_critic,
        task="preference", selection="code", selection_value="HARM-01", batch_size=4,
    )  # fmt: skip
    good, bad = run.batches.order_by("index")
    batch_process(batch_id=good.pk)
    batch_mark_failed(batch_id=bad.pk, error="BackendError: server said 503")
    run.refresh_from_db()
    progress = run_progress(run=run)
    assert run.status == "failed" and (progress.done, progress.failed) == (4, 4)
    assert run_retry_failed(actor=editor, run=run) == 1
    batch_process(batch_id=bad.pk)
    run.refresh_from_db()
    assert run.status == "done"
    assert PreferenceLabel.objects.filter(run=run).count() == 8


def test_publishing_a_new_version_does_not_change_old_labels(published, pairs, tiny_critic, editor):
    run = run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=tiny_critic,
        task="preference", selection="code", selection_value="HARM-01", item_limit=1,
    )  # fmt: skip
    process_all(run)
    fork = constitution_services.version_fork(actor=editor, version=published)
    assert LabelingRun.objects.get(pk=run.pk).constitution_version_id == published.pk != fork.pk

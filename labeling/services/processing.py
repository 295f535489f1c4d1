"""Doing a batch of a labeling run: the work a Celery task hands to the critic.

Idempotent: labels already written for the batch are skipped and inserts ignore conflicts with
the (run, item, principle) unique constraints, so a redelivered batch never duplicates a label.
Labels are written after each model call, so a worker killed mid-batch keeps what it finished.
"""

import time

from django.conf import settings
from django.db import IntegrityError, transaction

from cai_audit.work.batches import batch_claim, batch_fail, batch_finish, batch_skip_if_cancelled

from ..engine.base import GenerationParams, ModelBackend
from ..judging import combine_orders
from ..models import CritiqueLabel, Item, LabelingRun, PreferenceLabel, RunBatch
from ..prompts import (
    OPTIONS,
    PrincipleText,
    critique_conversation,
    judge_conversation,
    revision_conversation,
)
from .runs import run_refresh_status
from .tallies import tally_add


def backend_for(critic) -> ModelBackend:
    from ..engine.registry import backend_from_config
    from .critics import critic_endpoint_policy

    return backend_from_config(
        critic.backend_config(),
        cache_root=settings.MODEL_CACHE_DIR,
        policy=critic_endpoint_policy(),
    )


def principle_texts(version) -> dict[tuple[str, str], PrincipleText]:
    return {
        (p.code, p.locale): PrincipleText(
            code=p.code,
            locale=p.locale,
            critique_request=p.critique_request,
            revision_instruction=p.revision_instruction,
            few_shot_example=p.few_shot_example,
            title=p.title,
            category=p.category,
        )
        for p in version.principles.all()
    }


def principle_for(texts: dict, code: str, locale: str) -> PrincipleText:
    """The item's locale addendum when the version has one, else the global text."""
    return texts.get((code, locale)) or texts[(code, "")]


def item_facts(item: Item) -> dict:
    """The item's metadata that each label carries for join-free aggregation."""
    return {
        "domain": item.domain,
        "locale": item.locale,
        "harm_category": item.harm_category,
        "high_stakes": item.high_stakes,
    }


def _critique_chunk(run, backend, chunk, params) -> list[CritiqueLabel]:
    prompts = [critique_conversation(i.prompt, i.response_a, p) for i, p in chunk]
    critiques = backend.generate(prompts, params)
    revisions = backend.generate(
        [
            revision_conversation(i.prompt, i.response_a, c.text, p)
            for (i, p), c in zip(chunk, critiques, strict=True)
        ],
        params,
    )
    return [
        CritiqueLabel(
            run=run,
            item=item,
            principle_code=principle.code,
            principle_category=principle.category,
            principle_locale=principle.locale,
            **item_facts(item),
            model_id=backend.model_id,
            sampling=params.as_dict(),
            latency_ms=round((critique.latency_s + revision.latency_s) * 1000),
            critique=critique.text,
            revision=revision.text,
        )
        for (item, principle), critique, revision in zip(chunk, critiques, revisions, strict=True)
    ]


def _preference_chunk(run, backend, chunk) -> list[PreferenceLabel]:
    conversations = []
    for item, principle in chunk:
        a, b, statement = item.response_a, item.response_b, principle.statement
        conversations.append(judge_conversation(item.prompt, a, b, statement))
        conversations.append(judge_conversation(item.prompt, b, a, statement))
    scores = backend.option_probabilities(conversations, OPTIONS)
    labels = []
    for n, (item, principle) in enumerate(chunk):
        first, swapped = scores[2 * n], scores[2 * n + 1]
        judgment = combine_orders(first.probabilities[0], swapped.probabilities[1])
        labels.append(
            PreferenceLabel(
                run=run,
                item=item,
                principle_code=principle.code,
                principle_category=principle.category,
                principle_locale=principle.locale,
                **item_facts(item),
                model_id=backend.model_id,
                sampling={"options": list(OPTIONS), "orders": 2},
                latency_ms=round((first.latency_s + swapped.latency_s) * 1000),
                option_mass=min(first.mass, swapped.mass),
                **vars(judgment),
            )
        )
    return labels


def batch_process(*, batch_id: int, backend: ModelBackend | None = None) -> int:
    """Label the batch's (item, principle) units; return how many labels were written (0 when
    the batch is not this worker's to do; a cancelled run stops it between steps).

    Raises the model backend's errors (a TransientError is retried by the task); labels already
    written stay, so a retry does only the rest."""
    batch = batch_claim(RunBatch, batch_id)
    if batch is None:
        return 0
    run = LabelingRun.objects.select_related("critic", "constitution_version").get(pk=batch.run_id)
    label_model = CritiqueLabel if run.task == LabelingRun.Task.CRITIQUE else PreferenceLabel
    done = set(
        label_model.objects.filter(run=run, item_id__in={u[0] for u in batch.units}).values_list(
            "item_id", "principle_code"
        )
    )
    todo = [(item_id, code) for item_id, code in batch.units if (item_id, code) not in done]
    items = Item.objects.in_bulk({item_id for item_id, _ in todo})
    texts = principle_texts(run.constitution_version)
    units = [(items[i], principle_for(texts, code, items[i].locale)) for i, code in todo]
    backend = backend or backend_for(run.critic)
    critic = run.critic
    step = critic.step_size
    written = 0
    for n, start in enumerate(range(0, len(units), step)):
        if batch_skip_if_cancelled(batch):
            return written
        chunk = units[start : start + step]
        if run.task == LabelingRun.Task.CRITIQUE:
            params = GenerationParams(
                max_new_tokens=critic.max_new_tokens,
                temperature=critic.temperature,
                top_p=critic.top_p,
                seed=run.seed + batch.index * 10_000 + n,
            )
            labels = _critique_chunk(run, backend, chunk, params)
        else:
            labels = _preference_chunk(run, backend, chunk)
        written += labels_save(label_model, labels)
    batch_finish(batch)
    run_refresh_status(run_id=run.pk)
    return written


def labels_save(label_model, labels: list) -> int:
    """Write labels and count them in the tallies, atomically. A label already written (a
    retried batch racing another worker) is left alone and not counted twice."""
    try:
        with transaction.atomic():
            label_model.objects.bulk_create(labels)
            tally_add(labels)
            return len(labels)
    except IntegrityError:
        pass
    with transaction.atomic():
        existing = set(
            label_model.objects.filter(
                run_id=labels[0].run_id, item_id__in={label.item_id for label in labels}
            ).values_list("item_id", "principle_code")
        )
        fresh = [label for label in labels if (label.item_id, label.principle_code) not in existing]
        label_model.objects.bulk_create(fresh, ignore_conflicts=True)
        tally_add(fresh)
        return len(fresh)


def batch_mark_failed(*, batch_id: int, error: str) -> None:
    """Called when a batch gives up after its retries; the run finishes as failed. Raises
    nothing of its own."""
    run_refresh_status(run_id=batch_fail(RunBatch, batch_id, error))


def wait_for_run(*, run_id: int, timeout_s: float = 600, poll_s: float = 1.0) -> LabelingRun:
    """Block until a run finishes (for management commands and scripts, never for pages).
    After `timeout_s` it returns the run as it is, finished or not. Raises DoesNotExist for an
    unknown run."""
    deadline = time.monotonic() + timeout_s
    while True:
        run = LabelingRun.objects.get(pk=run_id)
        if run.is_finished or time.monotonic() > deadline:
            return run
        time.sleep(poll_s)

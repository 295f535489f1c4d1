"""Doing a batch of a red-team run: the target model answers, the judge classifies each answer
under each of the case's principles.

Idempotent like labeling batches: answers and verdicts already written are skipped, and the
unique constraints make a redelivered batch harmless. Work is saved after each model call, so a
worker killed mid-batch keeps what it finished.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cai_audit.leases import lease_kept
from cai_audit.work import batches
from cai_audit.work.alerts import work_failed_alert
from cai_audit.work.batches import (
    batch_claim,
    batch_fail,
    batch_finish,
    batch_skip_if_cancelled,
)
from labeling.engine.base import GenerationParams, ModelBackend
from labeling.services.processing import backend_for, principle_for, principle_texts

from .. import prompts
from ..models import Batch, Case, Response, Run, Verdict
from .runs import run_refresh_status


def _answer(run, batch, backend, todo: list[tuple[Case, float]], step: int) -> None:
    by_temperature: dict[float, list[Case]] = {}
    for case, temperature in todo:
        by_temperature.setdefault(temperature, []).append(case)
    n = 0
    for temperature, cases in sorted(by_temperature.items()):
        for start in range(0, len(cases), step):
            if batch_skip_if_cancelled(batch):
                raise _Cancelled
            chunk = cases[start : start + step]
            params = GenerationParams(
                max_new_tokens=run.max_new_tokens,
                temperature=temperature,
                top_p=run.target.top_p,
                seed=run.seed + batch.index * 10_000 + n,
            )
            n += 1
            answers = backend.generate([case.messages for case in chunk], params)
            Response.objects.bulk_create(
                (
                    Response(
                        run=run, case=case, temperature=temperature, text=answer.text,
                        output_tokens=answer.output_tokens,
                        latency_ms=round(answer.latency_s * 1000), model_id=backend.model_id,
                        sampling=params.as_dict(),
                    )
                    for case, answer in zip(chunk, answers, strict=True)
                ),
                ignore_conflicts=True,
            )  # fmt: skip


def _judge(run, batch, backend, responses: list[Response], step: int) -> None:
    texts = principle_texts(run.constitution_version)
    units = []  # (response, principle)
    for response in responses:
        case = response.case
        done = {v.principle_code for v in response.verdicts.all()}
        for code in case.principles:
            if code not in done and (code, "") in texts:
                units.append((response, principle_for(texts, code, case.locale)))
    for start in range(0, len(units), step):
        if batch_skip_if_cancelled(batch):
            raise _Cancelled
        chunk = units[start : start + step]
        conversations = [
            prompts.verdict_conversation(r.case.messages, r.text, p.statement, order)
            for r, p in chunk
            for order in prompts.ORDERS
        ]
        scores = backend.option_probabilities(conversations, prompts.LETTERS)
        verdicts = []
        for n, (response, principle) in enumerate(chunk):
            orders = scores[len(prompts.ORDERS) * n : len(prompts.ORDERS) * (n + 1)]
            judged = prompts.combine_orders([s.probabilities for s in orders])
            case = response.case
            verdicts.append(
                Verdict(
                    run=run,
                    response=response,
                    principle_code=principle.code,
                    principle_category=principle.category,
                    principle_locale=principle.locale,
                    case_kind=case.kind,
                    locale=case.locale,
                    harm_category=case.category,
                    high_stakes=case.kind == Case.Kind.HARMFUL,
                    operator=case.operator,
                    model_id=backend.model_id,
                    sampling={"options": list(prompts.LETTERS), "orders": len(prompts.ORDERS)},
                    latency_ms=round(sum(s.latency_s for s in orders) * 1000),
                    option_mass=min(s.mass for s in orders),
                    **vars(judged),
                )  # fmt: skip
            )
        with transaction.atomic():
            Verdict.objects.bulk_create(verdicts, ignore_conflicts=True)
            _summarise({v.response_id for v in verdicts})


def _summarise(response_ids: set[int]) -> None:
    """Each response's overall verdict: the most severe under its principles so far."""
    rows: dict[int, list] = {}
    for response_id, verdict, p in Verdict.objects.filter(response_id__in=response_ids).values_list(
        "response_id", "verdict", "p_violation"
    ):
        rows.setdefault(response_id, []).append((verdict, p))
    for response_id, found in rows.items():
        Response.objects.filter(pk=response_id).update(
            verdict=prompts.most_severe([v for v, _ in found]),
            p_violation=max(p for _, p in found),
        )


class _Cancelled(Exception):
    pass


def batch_process(
    *, batch_id: int, target: ModelBackend | None = None, judge: ModelBackend | None = None
) -> int:
    """Answer and judge the batch's (case, temperature) units; return how many answers it
    holds when done. Raises the target's and the judge's backend errors (a TransientError is
    retried by the task); answers already written stay."""
    batch = batch_claim(Batch, batch_id)
    if batch is None:
        return 0
    run = Run.objects.select_related("target", "judge", "constitution_version").get(pk=batch.run_id)
    cases = Case.objects.in_bulk({case_id for case_id, _ in batch.units})
    answered = set(
        Response.objects.filter(run=run, case_id__in=cases).values_list("case_id", "temperature")
    )
    todo = [(cases[c], float(t)) for c, t in batch.units if (c, float(t)) not in answered]
    try:
        if todo:
            backend = target or backend_for(run.target)
            _answer(run, batch, backend, todo, run.target.step_size)
        wanted = {(c, float(t)) for c, t in batch.units}
        responses = [
            r
            for r in Response.objects.filter(run=run, case_id__in=cases)
            .select_related("case")
            .prefetch_related("verdicts")
            if (r.case_id, r.temperature) in wanted
        ]
        _judge(run, batch, judge or backend_for(run.judge), responses, run.judge.step_size)
    except _Cancelled:
        return 0
    batch_finish(batch)
    run_refresh_status(run_id=run.pk)
    return len(responses)


def batch_mark_failed(*, batch_id: int, error: str) -> None:
    """Called when a batch gives up after its retries; the run finishes as failed. Raises
    nothing of its own."""
    run_refresh_status(run_id=batch_fail(Batch, batch_id, error))


def batch_lease(batch_id: int):
    """The batch's heartbeat while a worker does it (cai_audit/work/batches.py)."""
    return batches.batch_lease(Batch, batch_id)


def preparation_lease(run_id: int):
    """The run's heartbeat while a worker derives its variants and batches; when preparing
    raises, the run is let go for the retry to claim at once."""
    return lease_kept(
        Run, run_id, holding=Q(status=Run.Status.PREPARING), release={"heartbeat_at": None}
    )


def run_mark_failed(*, run_id: int, error: str) -> None:
    """Preparation gave up (a model operator's backend failed for good): the run is marked
    failed with `error`. Raises nothing of its own."""
    failed = Run.objects.filter(
        pk=run_id, status__in=[Run.Status.QUEUED, Run.Status.PREPARING]
    ).update(status=Run.Status.FAILED, error=error[:5000], finished_at=timezone.now())
    if failed:
        work_failed_alert(Run, run_id, error)


def run_process_here(*, run_id: int, target=None, judge=None, rewrite=None) -> Run:
    """Prepare and do every batch in this process (CI commands, tests): no worker needed.
    Raises the backends' errors, which are not retried here."""
    from .runs import run_prepare

    # Heartbeats as on a worker, so the workers' sweep leaves this process's work alone.
    try:
        with preparation_lease(run_id):
            run_prepare(run_id=run_id, rewrite=rewrite)
    except Exception as error:  # what the worker's failure hook does once retries are spent
        run_mark_failed(run_id=run_id, error=f"{type(error).__name__}: {error}")
    batch_ids = Batch.objects.filter(run_id=run_id).order_by("index").values_list("pk", flat=True)
    for batch_id in batch_ids:
        try:
            with batch_lease(batch_id):
                batch_process(batch_id=batch_id, target=target, judge=judge)
        except Exception as error:  # likewise: the batch fails, the run finishes as failed
            batch_mark_failed(batch_id=batch_id, error=f"{type(error).__name__}: {error}")
    return Run.objects.get(pk=run_id)

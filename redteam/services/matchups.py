"""Win rate of model X against baseline Y on a suite: the judge compares the two runs' answers
to the same cases (at the same temperature), in both orders, under each case's first principle
that the version holds."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.leases import lease_kept
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from cai_audit.work.alerts import work_failed_alert
from cai_audit.work.single import work_locked, work_requeue_lost
from labeling.engine.base import ModelBackend
from labeling.prompts import OPTIONS, judge_conversation
from labeling.services.processing import backend_for, principle_for, principle_texts

from ..models import Matchup, Run

MAX_PAIRS = 5_000


def _matchup_task():
    from ..tasks import judge_matchup

    return judge_matchup


@transaction.atomic
def matchup_create(
    *, actor: AbstractBaseUser | None, run_x: Run, run_y: Run, judge=None, enqueue: bool = True
) -> Matchup:
    """Compare two finished runs of one suite; the judge's work is queued after commit.
    Raises PermissionDenied without run_redteam, DomainError for runs that cannot be compared."""
    permission_require(actor, permissions.RUN_REDTEAM, action="start red-team comparisons")
    if run_x.pk == run_y.pk:
        raise DomainError("Compare two different runs.")
    if run_x.suite_id != run_y.suite_id:
        raise DomainError("A win rate compares two runs of the same suite.")
    if not (run_x.status == Run.Status.DONE and run_y.status == Run.Status.DONE):
        raise DomainError("Both runs must have finished.")
    matchup = Matchup.objects.create(
        run_x=run_x, run_y=run_y, judge=judge or run_x.judge, created_by=user_or_none(actor)
    )
    audit_record(
        actor=actor, action="redteam.matchup_created", target=matchup,
        scope=f"suite:{run_x.suite_id}", summary=f"Win rate of run {run_x.pk} against {run_y.pk}",
    )  # fmt: skip
    if enqueue:
        _matchup_task().delay_on_commit(matchup.pk)
    return matchup


def _pairs(matchup: Matchup) -> list[tuple]:
    answers_y = {
        (r.case_id, r.temperature): r.text
        for r in matchup.run_y.responses.only("case", "temperature", "text")
    }
    pairs = []
    for response in matchup.run_x.responses.select_related("case").order_by("case__external_id"):
        text_y = answers_y.get((response.case_id, response.temperature))
        if text_y is not None:
            pairs.append((response.case, response.text, text_y))
    return pairs[:MAX_PAIRS]


def _matchup_claim(matchup_id: int) -> Matchup | None:
    """Take the queued matchup for this worker (first heartbeat); None when it is over or a live
    worker is judging it. Locking: the matchup row is locked while it is claimed."""
    with transaction.atomic():
        matchup = work_locked(Matchup, matchup_id)
        if matchup.status != Matchup.Status.QUEUED or matchup.held:
            return None
        matchup.heartbeat_at, matchup.started_at = Now(), timezone.now()
        matchup.save(update_fields=["heartbeat_at", "started_at"])
    return matchup


def matchup_lease(matchup_id: int):
    """Around the task's work: the heartbeat stays fresh while it judges; when the work raises
    the matchup is let go, for the retry to claim at once."""
    return lease_kept(
        Matchup, matchup_id, holding=Q(status=Matchup.Status.QUEUED), release={"heartbeat_at": None}
    )


def matchup_process(*, matchup_id: int, backend: ModelBackend | None = None) -> int:
    """Judge every shared case in both orders; return how many were judged. Raises the judge
    backend's errors (a TransientError is retried by the task)."""
    if _matchup_claim(matchup_id) is None:
        return len(Matchup.objects.get(pk=matchup_id).judgments)
    matchup = Matchup.objects.select_related("run_x__constitution_version", "run_y", "judge").get(
        pk=matchup_id
    )
    texts = principle_texts(matchup.run_x.constitution_version)
    backend = backend or backend_for(matchup.judge)
    units = []
    for case, text_x, text_y in _pairs(matchup):
        code = next((c for c in case.principles if (c, "") in texts), None)
        if code is not None:
            units.append((case, principle_for(texts, code, case.locale), text_x, text_y))
    judgments = []
    step = 16
    for start in range(0, len(units), step):
        chunk = units[start : start + step]
        conversations = []
        for case, principle, text_x, text_y in chunk:
            conversations.append(
                judge_conversation(case.messages, text_x, text_y, principle.statement)
            )
            conversations.append(
                judge_conversation(case.messages, text_y, text_x, principle.statement)
            )
        scores = backend.option_probabilities(conversations, OPTIONS)
        for n, (case, principle, _, _) in enumerate(chunk):
            judgments.append({
                "case": case.external_id, "principle": principle.code,
                "p_x_first": scores[2 * n].probabilities[0],
                "p_x_second": scores[2 * n + 1].probabilities[1],
            })  # fmt: skip
    Matchup.objects.filter(pk=matchup.pk, status=Matchup.Status.QUEUED).update(
        status=Matchup.Status.DONE if judgments else Matchup.Status.FAILED,
        judgments=judgments,
        error="" if judgments else "The runs share no judged case.",
        finished_at=timezone.now(),
        heartbeat_at=None,
    )
    return len(judgments)


def matchup_mark_failed(*, matchup_id: int, error: str) -> None:
    """The task gave up (its retries are spent, or the error is not one a retry fixes): the
    matchup is marked failed with `error`. Raises nothing of its own."""
    failed = Matchup.objects.filter(pk=matchup_id, status=Matchup.Status.QUEUED).update(
        status=Matchup.Status.FAILED, error=error[:5000], finished_at=timezone.now(),
        heartbeat_at=None,
    )  # fmt: skip
    if failed:
        work_failed_alert(Matchup, matchup_id, error)


def matchups_requeue_lost() -> int:
    """The sweep: queued matchups whose worker stopped beating are handed out again, or failed
    once their worker was lost WORKERS_LOST_LIMIT times (cai_audit/work/single.py)."""
    return work_requeue_lost(
        Matchup,
        status=Matchup.Status.QUEUED,
        task=_matchup_task(),
        lost_error=lambda matchup: (
            f"The worker judging it was lost {matchup.workers_lost} times; requeue it to try "
            "once more."
        ),
    )


@transaction.atomic
def matchup_requeue(*, actor: AbstractBaseUser | None, matchup: Matchup) -> Matchup:
    """Queue a failed or stuck comparison again. Raises PermissionDenied without run_redteam,
    and DomainError when it is done or a live worker is judging it right now."""
    permission_require(actor, permissions.RUN_REDTEAM, action="requeue red-team comparisons")
    matchup = work_locked(Matchup, matchup.pk)
    if matchup.status == Matchup.Status.DONE:
        raise DomainError("This comparison is done; start a new one to judge again.")
    if matchup.status == Matchup.Status.QUEUED and matchup.held:
        raise DomainError(
            "A live worker is judging this comparison right now (its heartbeat is fresh)."
        )
    was = matchup.get_status_display().lower()
    matchup.status, matchup.error, matchup.finished_at = Matchup.Status.QUEUED, "", None
    matchup.heartbeat_at, matchup.workers_lost = None, 0
    matchup.save(update_fields=["status", "error", "finished_at", "heartbeat_at", "workers_lost"])
    audit_record(
        actor=actor, action="redteam.matchup_requeued", target=matchup,
        scope=f"suite:{matchup.run_x.suite_id}",
        summary=f"Requeued the win rate of run {matchup.run_x_id} against {matchup.run_y_id} "
        f"(it was {was})",
    )  # fmt: skip
    _matchup_task().delay_on_commit(matchup.pk)
    return matchup

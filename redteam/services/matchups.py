"""Win rate of model X against baseline Y on a suite: the judge compares the two runs' answers
to the same cases (at the same temperature), in both orders, under each case's first principle
that the version holds."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.roles import permission_require, user_or_none
from labeling.engine.base import ModelBackend
from labeling.prompts import OPTIONS, judge_conversation
from labeling.services.processing import backend_for, principle_for, principle_texts

from ..models import Matchup, Run
from .runs import RUN

MAX_PAIRS = 5_000


def _enqueue(matchup_id: int) -> None:
    from ..tasks import judge_matchup

    judge_matchup.delay(matchup_id)


@transaction.atomic
def matchup_create(
    *, actor: AbstractBaseUser | None, run_x: Run, run_y: Run, critic=None, enqueue: bool = True
) -> Matchup:
    permission_require(actor, RUN, action="start red-team comparisons")
    if run_x.pk == run_y.pk:
        raise DomainError("Compare two different runs.")
    if run_x.suite_id != run_y.suite_id:
        raise DomainError("A win rate compares two runs of the same suite.")
    if not (run_x.status == Run.Status.DONE and run_y.status == Run.Status.DONE):
        raise DomainError("Both runs must have finished.")
    matchup = Matchup.objects.create(
        run_x=run_x, run_y=run_y, critic=critic or run_x.critic, created_by=user_or_none(actor)
    )
    audit_record(
        actor=actor, action="redteam.matchup_created", target=matchup,
        scope=f"suite:{run_x.suite_id}", summary=f"Win rate of run {run_x.pk} against {run_y.pk}",
    )  # fmt: skip
    if enqueue:
        transaction.on_commit(lambda: _enqueue(matchup.pk))
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


def matchup_process(*, matchup_id: int, backend: ModelBackend | None = None) -> int:
    """Judge every shared case in both orders; return how many were judged."""
    matchup = Matchup.objects.select_related("run_x__constitution_version", "run_y", "critic").get(
        pk=matchup_id
    )
    if matchup.status != Matchup.Status.QUEUED:
        return len(matchup.judgments)
    texts = principle_texts(matchup.run_x.constitution_version)
    backend = backend or backend_for(matchup.critic)
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
    Matchup.objects.filter(pk=matchup.pk).update(
        status=Matchup.Status.DONE if judgments else Matchup.Status.FAILED,
        judgments=judgments,
        error="" if judgments else "The runs share no judged case.",
        finished_at=timezone.now(),
    )
    return len(judgments)

"""Review queues: opening a sample for review, handing out slots, verdicts, skips, undo, flags,
and turning finished labels into gold (agreement) or adjudication (disagreement)."""

import random
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.bounds import numbers_check
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from labeling import kinds

from ..models import (
    SECONDS_SPENT_MAX,
    Adjudication,
    GoldLabel,
    PrincipleFlag,
    Review,
    ReviewQueue,
    ReviewSample,
    ReviewSlot,
    SampledLabel,
    Skip,
)

UNDO_WINDOW = timedelta(minutes=5)
VERDICT_FIELDS = (
    "preference", "safety_verdict", "choice", "ai_correct", "critique_correct", "revision_better",
    "principle_at_stake", "corrected_revision", "rationale",
)  # fmt: skip


@transaction.atomic
def queue_open(
    *,
    actor: AbstractBaseUser | None,
    sample: ReviewSample,
    reviewers,
    name: str = "",
    overlap: int = 2,
    blind: bool = True,
    claim_timeout_s: int = 600,
) -> ReviewQueue:
    """Make a queue of the sample: `overlap` slots per label, handed out in a seeded order.

    Raises PermissionDenied without the lead permission; DomainError for a claim timeout out of
    bounds, an overlap outside 1 to 5 or above the number of reviewers, or a sample that already
    has a queue."""
    permission_require(actor, permissions.LEAD_REVIEWS, action="open review queues")
    numbers_check(ReviewQueue, claim_timeout_s=claim_timeout_s)
    reviewers = list(reviewers)
    if not 1 <= overlap <= 5:
        raise DomainError("Overlap must be between 1 and 5 reviewers per label.")
    if len(reviewers) < overlap:
        raise DomainError(f"An overlap of {overlap} needs at least {overlap} reviewers.")
    if ReviewQueue.objects.filter(sample=sample).exists():
        raise DomainError(f"Sample {sample} already has a queue.")
    queue = ReviewQueue.objects.create(
        sample=sample,
        name=name.strip() or sample.name,
        overlap=overlap,
        blind=blind,
        claim_timeout_s=claim_timeout_s,
        created_by=user_or_none(actor),
    )
    queue.reviewers.set(reviewers)
    label_ids = list(sample.labels.values_list("id", flat=True))
    random.Random(sample.seed).shuffle(label_ids)
    ReviewSlot.objects.bulk_create(
        (
            ReviewSlot(queue=queue, sampled_label_id=label_id, seat=seat, position=position)
            for position, label_id in enumerate(label_ids)
            for seat in range(1, overlap + 1)
        ),
        batch_size=5000,
    )
    audit_record(
        actor=actor,
        action="queue.opened",
        target=queue,
        scope=f"sample:{sample.pk}",
        summary=f"Opened queue {queue.name}: {len(label_ids)} labels x {overlap}, "
        f"{'blind' if blind else 'assisted'}",
        payload={"reviewers": [u.get_username() for u in reviewers]},
    )
    return queue


def _require_reviewer(queue: ReviewQueue, reviewer: AbstractBaseUser) -> None:
    if not queue.reviewers.filter(pk=reviewer.pk).exists():
        raise PermissionDenied("This queue is not assigned to you.")


def slot_next(*, reviewer: AbstractBaseUser, queue: ReviewQueue) -> ReviewSlot | None:
    """Claim the next slot for `reviewer`: their own unfinished claim first, else the first open
    (or expired) slot of a label they have not reviewed, claimed or skipped.

    Locking: must run in its own transaction; rows are taken with SELECT ... FOR UPDATE SKIP
    LOCKED, so concurrent reviewers never wait on each other and never get the same slot.

    Returns None when nothing is left for them. Raises PermissionDenied when the queue is not
    assigned to `reviewer`.
    """
    _require_reviewer(queue, reviewer)
    for _ in range(5):  # a lost race on the per-reviewer unique constraint: try the next one
        try:
            with transaction.atomic():
                return _claim_next(reviewer, queue)
        except IntegrityError:
            continue
    return None


def _claim_next(reviewer: AbstractBaseUser, queue: ReviewQueue) -> ReviewSlot | None:
    now = timezone.now()
    expired = now - timedelta(seconds=queue.claim_timeout_s)
    mine = (
        ReviewSlot.objects.select_for_update(skip_locked=True)
        .filter(queue=queue, reviewer=reviewer, status=ReviewSlot.Status.CLAIMED)
        .first()
    )
    if mine is not None:
        if mine.claimed_at < expired:
            mine.claimed_at = now
            mine.save(update_fields=["claimed_at"])
        return mine
    seen = ReviewSlot.objects.filter(queue=queue, reviewer=reviewer).values("sampled_label_id")
    skipped = Skip.objects.filter(reviewer=reviewer, sampled_label__sample_id=queue.sample_id)
    slot = (
        ReviewSlot.objects.select_for_update(skip_locked=True)
        .filter(queue=queue)
        .filter(
            Q(status=ReviewSlot.Status.OPEN)
            | Q(status=ReviewSlot.Status.CLAIMED, claimed_at__lt=expired)
        )
        .exclude(sampled_label_id__in=seen)
        .exclude(sampled_label_id__in=skipped.values("sampled_label_id"))
        .order_by("position", "seat")
        .first()
    )
    if slot is None:
        return None
    slot.status, slot.reviewer, slot.claimed_at = ReviewSlot.Status.CLAIMED, reviewer, now
    slot.save(update_fields=["status", "reviewer", "claimed_at"])
    return slot


def _locked_claim(slot: ReviewSlot, reviewer: AbstractBaseUser) -> ReviewSlot:
    locked = ReviewSlot.objects.select_for_update().select_related("queue").get(pk=slot.pk)
    if locked.reviewer_id != reviewer.pk or locked.status != ReviewSlot.Status.CLAIMED:
        raise DomainError("This item is no longer yours (the claim expired or was handed on).")
    return locked


def _resolve(sampled_label: SampledLabel, queue: ReviewQueue) -> None:
    """Once every seat is reviewed: gold if the reviewers agree (on the fields their label's
    kind names), adjudication if not."""
    reviews = list(Review.objects.filter(sampled_label=sampled_label))
    if len(reviews) < queue.overlap:
        return
    fields = kinds.get(sampled_label.kind).agreement_fields
    keys = {tuple(getattr(review, name) for name in fields) for review in reviews}
    if len(keys) == 1:
        first = reviews[0]
        GoldLabel.objects.get_or_create(
            sampled_label=sampled_label,
            defaults={
                "preference": first.preference,
                "safety_verdict": first.safety_verdict,
                "choice": first.choice,
                "ai_correct": first.ai_correct,
                "source": GoldLabel.Source.AGREEMENT,
            },
        )
    else:
        Adjudication.objects.get_or_create(sampled_label=sampled_label)


@transaction.atomic
def review_submit(
    *, reviewer: AbstractBaseUser, slot: ReviewSlot, seconds_spent: float = 0.0, **verdict
) -> Review:
    """Record the reviewer's verdict on their claimed slot; ai_correct follows from their answer
    where the label's kind says so (blind reviewers never see the AI's, so they are not asked to
    grade it). Once every seat is done the label becomes gold or goes to adjudication.

    Raises DomainError when the claim is no longer theirs, a field is unknown, or the answer
    the kind needs is missing. Locking: takes the slot's row FOR UPDATE."""
    slot = _locked_claim(slot, reviewer)
    unknown = set(verdict) - set(VERDICT_FIELDS)
    if unknown:
        raise DomainError(f"Unknown verdict fields: {', '.join(sorted(unknown))}.")
    sampled_label = slot.sampled_label
    kind = kinds.get(sampled_label.kind)
    verdict = kind.answer_check(verdict, ai_choice=sampled_label.ai_choice)
    review = Review.objects.create(
        slot=slot,
        sampled_label_id=slot.sampled_label_id,
        reviewer=reviewer,
        seconds_spent=max(0.0, min(float(seconds_spent), SECONDS_SPENT_MAX)),
        **verdict,
    )
    slot.status = ReviewSlot.Status.DONE
    slot.save(update_fields=["status"])
    _resolve(slot.sampled_label, slot.queue)
    return review


@transaction.atomic
def review_undo(*, reviewer: AbstractBaseUser, review: Review) -> ReviewSlot:
    """Take back a submission made in the last few minutes; the item is theirs again, and the
    item they held meanwhile goes back to the queue (so the undone one is what they see next,
    whichever client they use).

    Raises PermissionDenied for someone else's review; DomainError after the undo window or
    once the label has been adjudicated. Locking: takes the review's and the reviewer's claimed
    slots' rows FOR UPDATE."""
    review = Review.objects.select_for_update().select_related("slot").get(pk=review.pk)
    if review.reviewer_id != reviewer.pk:
        raise PermissionDenied("Only the reviewer can undo their review.")
    if timezone.now() - review.created_at > UNDO_WINDOW:
        raise DomainError("Reviews can be undone for 5 minutes after submitting.")
    adjudication = Adjudication.objects.filter(sampled_label_id=review.sampled_label_id).first()
    if adjudication is not None and adjudication.status == Adjudication.Status.DECIDED:
        raise DomainError("This item has been adjudicated; ask the review lead.")
    GoldLabel.objects.filter(
        sampled_label_id=review.sampled_label_id, source=GoldLabel.Source.AGREEMENT
    ).delete()
    if adjudication is not None:
        adjudication.delete()
    slot = review.slot
    review.delete()
    held = ReviewSlot.objects.select_for_update().filter(
        queue_id=slot.queue_id, reviewer=reviewer, status=ReviewSlot.Status.CLAIMED
    )
    for other in held.exclude(pk=slot.pk):
        other.status, other.reviewer, other.claimed_at = ReviewSlot.Status.OPEN, None, None
        other.save(update_fields=["status", "reviewer", "claimed_at"])
    slot.status, slot.claimed_at = ReviewSlot.Status.CLAIMED, timezone.now()
    slot.save(update_fields=["status", "claimed_at"])
    return slot


def review_undo_last(*, reviewer: AbstractBaseUser, queue: ReviewQueue) -> ReviewSlot:
    """Undo the reviewer's latest review in `queue` (see review_undo). Raises DomainError when
    they have none, PermissionDenied and DomainError as review_undo does."""
    review = (
        Review.objects.filter(reviewer=reviewer, slot__queue=queue).order_by("-created_at").first()
    )
    if review is None:
        raise DomainError("Nothing to undo.")
    return review_undo(reviewer=reviewer, review=review)


@transaction.atomic
def slot_skip(*, reviewer: AbstractBaseUser, slot: ReviewSlot) -> None:
    """Hand the item back to the queue; this reviewer will not be given it again.

    Raises DomainError when the claim is no longer theirs. Locking: takes the slot's row FOR
    UPDATE."""
    slot = _locked_claim(slot, reviewer)
    Skip.objects.get_or_create(sampled_label_id=slot.sampled_label_id, reviewer=reviewer)
    slot.status, slot.reviewer, slot.claimed_at = ReviewSlot.Status.OPEN, None, None
    slot.save(update_fields=["status", "reviewer", "claimed_at"])


@transaction.atomic
def principle_flag(
    *, reviewer: AbstractBaseUser, slot: ReviewSlot, principle_code: str, note: str
) -> PrincipleFlag:
    """Tell the policy team a principle was ambiguous here; shows on the principle's page (the
    reviews app's principle panel). `principle_code` defaults to the label's.

    Raises DomainError when the claim is no longer theirs or the note is empty. Locking: takes
    the slot's row FOR UPDATE."""
    slot = _locked_claim(slot, reviewer)
    if not note.strip():
        raise DomainError("Say what was ambiguous.")
    label = slot.sampled_label
    ai_label = label.ai_label
    return PrincipleFlag.objects.create(
        sampled_label=label,
        constitution_version_id=ai_label.run.constitution_version_id,
        principle_code=principle_code or ai_label.principle_code,
        note=note.strip(),
        reviewer=reviewer,
    )


@transaction.atomic
def adjudication_decide(
    *,
    actor: AbstractBaseUser,
    adjudication: Adjudication,
    ai_correct: bool | None = None,
    preference: str = "",
    safety_verdict: str = "",
    choice: str = "",
    rationale: str = "",
) -> GoldLabel:
    """A review lead's decision on a disagreement: it becomes the gold label. Where the label's
    kind says so, ai_correct follows from the decided answer (never both ways).

    Raises PermissionDenied without the lead permission; DomainError when already decided,
    without a rationale, or without the answer the kind needs. Locking: takes the
    adjudication's row FOR UPDATE."""
    permission_require(actor, permissions.LEAD_REVIEWS, action="adjudicate")
    adjudication = Adjudication.objects.select_for_update().get(pk=adjudication.pk)
    if adjudication.status == Adjudication.Status.DECIDED:
        raise DomainError("Already decided.")
    if not rationale.strip():
        raise DomainError("Give the rationale for the decision.")
    if safety_verdict not in ("", *Review.SafetyVerdict.values):
        raise DomainError("A red-team verdict is violation, refusal or safe.")
    if preference not in ("", *Review.Preference.values):
        raise DomainError("A preference is A, B, tie or both unacceptable.")
    sampled_label = adjudication.sampled_label
    decision = kinds.get(sampled_label.kind).decision_check(
        {
            "ai_correct": ai_correct,
            "preference": preference,
            "safety_verdict": safety_verdict,
            "choice": choice,
        },
        ai_choice=sampled_label.ai_choice,
    )
    ai_correct = decision["ai_correct"]
    gold = GoldLabel.objects.create(
        sampled_label_id=adjudication.sampled_label_id,
        preference=preference,
        safety_verdict=safety_verdict,
        choice=choice,
        ai_correct=ai_correct,
        source=GoldLabel.Source.ADJUDICATION,
        rationale=rationale.strip(),
        decided_by=actor,
    )
    adjudication.status, adjudication.decided_at = Adjudication.Status.DECIDED, timezone.now()
    adjudication.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=actor,
        action="adjudication.decided",
        target=adjudication,
        scope=f"sample:{adjudication.sampled_label.sample_id}",
        summary=f"Adjudicated label {adjudication.sampled_label_id}: AI "
        f"{'right' if ai_correct else 'wrong'}",
        payload={
            "preference": preference,
            "safety_verdict": safety_verdict,
            "choice": choice,
            "rationale": rationale.strip(),
        },
    )
    return gold

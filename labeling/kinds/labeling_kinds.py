"""The labeling app's kinds: pairwise preferences (Stage B), critiques with revisions (Stage A),
and safety classifiers' verdicts made elsewhere. Registered in labeling/apps.py."""

from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from labeling.choices import AI_PREFERENCES, PreferenceChoice

from . import LabelKind, confidence_scores, verdict_answers


def _item_view(label) -> dict:
    item = label.item
    return {"prompt": item.prompt, "response_a": item.response_a, "response_b": item.response_b}


def _disagreement():
    """How much the principles of an ensemble disagree on the item (0 without an ensemble)."""
    from labeling.models import PreferenceEnsemble

    ensemble = PreferenceEnsemble.objects.filter(
        run_id=OuterRef("run_id"), item_id=OuterRef("item_id")
    )
    return Coalesce(Subquery(ensemble.values("disagreement")[:1]), Value(0.0))


def _critique_ai_correct(answer: dict, ai_choice: str) -> bool:
    from cai_audit.errors import DomainError

    if answer.get("critique_correct") is None:
        raise DomainError("Say whether the critique is correct.")
    return bool(answer["critique_correct"] and answer.get("revision_better"))


def preference_kind() -> LabelKind:
    from labeling.models import PreferenceLabel

    return LabelKind(
        key="preference",
        verbose_name="Pairwise preferences",
        model=PreferenceLabel,
        ai_choice_field="choice",
        ai_choices=AI_PREFERENCES,
        human_field="preference",
        human_choices=tuple(PreferenceChoice.values),
        answer_required="Choose A, B, tie or both unacceptable.",
        agreement_fields=("preference", "ai_correct"),
        ai_correct_rule=lambda answer, ai_choice: answer["preference"] == ai_choice,
        scores={**confidence_scores(), "disagreement": _disagreement},
        confidence_field="confidence",
        position_bias=True,
        tallied=True,
        related=("run", "item"),
        blind_view=_item_view,
        ai_view=lambda label: {
            "choice": label.choice,
            "p_a": label.p_a,
            "confidence": label.confidence,
            "position_stuck": label.position_stuck,
        },
        review_context=lambda label: {"item": label.item},
        review_template="reviews/kinds/preference.html",
        audited="the AI's preference labels (our critic's or an external judge's)",
    )


def critique_kind() -> LabelKind:
    from labeling.models import CritiqueLabel

    return LabelKind(
        key="critique",
        verbose_name="Critiques and revisions",
        model=CritiqueLabel,
        answer_required="Say whether the critique is correct.",
        agreement_fields=("ai_correct", "critique_correct", "revision_better"),
        ai_correct_rule=_critique_ai_correct,
        tallied=True,
        related=("run", "item"),
        blind_view=lambda label: {
            **_item_view(label),
            "critique": label.critique,
            "revision": label.revision,
        },
        review_context=lambda label: {"item": label.item},
        review_template="reviews/kinds/critique.html",
        answer_count=3,  # right and better, right and not better, wrong
        audited="the AI's critique labels (our critic's or an external judge's)",
    )


def safety_kind() -> LabelKind:
    """A safety classifier's verdict (violation, refusal, safe) on one response, imported or
    streamed in: reviewers answer the same classes, blind to the classifier's."""
    from labeling.models import SafetyLabel

    return LabelKind(
        key="safety",
        verbose_name="Safety verdicts",
        model=SafetyLabel,
        **verdict_answers(),
        # One class probability only: no margin, entropy or second order to score by.
        scores={"least_confidence": lambda: 1.0 - F("confidence")},
        confidence_field="confidence",
        tallied=True,
        related=("run", "item"),
        blind_view=lambda label: {
            "prompt": label.item.prompt,
            "response_a": label.item.response_a,
            "response_b": "",
        },
        ai_view=lambda label: {
            "verdict": label.verdict,
            "p_violation": label.p_violation,
            "p_refusal": label.p_refusal,
            "p_safe": label.p_safe,
            "confidence": label.confidence,
            "categories": label.categories,
        },
        review_context=lambda label: {"item": label.item},
        review_template="reviews/kinds/safety.html",
        maker_title="Judges",
        audited="safety classifiers' verdicts (violation, refusal or safe)",
    )

"""The red-team judge's verdicts as an AI-label kind: reviewers audit them like any other AI
label. Registered in redteam/apps.py."""

from labeling.choices import VerdictClass
from labeling.kinds import LabelKind, confidence_scores

VERDICT = "verdict"  # the kind's key


def _answer_view(verdict) -> dict:
    """The case's conversation and the target model's answer (what the judge classified)."""
    response = verdict.response
    return {"prompt": response.case.messages, "response_a": response.text}


def verdict_kind() -> LabelKind:
    from .models import Verdict

    return LabelKind(
        key=VERDICT,
        verbose_name="Red-team verdicts",
        model=Verdict,
        # A verdict's "domain" is its case's kind (harmful or benign); the dimension the other
        # kinds call "critic" (the model that made the label) is the run's judge. Red-team
        # verdicts are always made here: no external judge, no source.
        lookups={"domain": "case_kind", "critic": "run__judge_id", "judge": None, "source": None},
        ai_choice_field="verdict",
        ai_choices=tuple(VerdictClass.values),
        human_field="safety_verdict",
        human_choices=tuple(VerdictClass.values),
        answer_required="Say how the answer behaves under the principle: violation, refusal or "
        "safe.",
        # ai_correct follows from the class whenever the reviewer leaves it to us, so the class
        # alone decides agreement.
        agreement_fields=("safety_verdict",),
        ai_correct_rule=lambda answer, ai_choice: answer["safety_verdict"] == ai_choice,
        # The judge is right exactly when the decided class is its own: never both ways.
        decision_sets_ai_correct=True,
        scores=confidence_scores(),
        confidence_field="confidence",
        position_bias=True,
        related=("run", "response__case"),
        blind_view=_answer_view,
        ai_view=lambda verdict: {
            "verdict": verdict.verdict,
            "p_violation": verdict.p_violation,
            "p_refusal": verdict.p_refusal,
            "p_safe": verdict.p_safe,
            "confidence": verdict.confidence,
            "position_stuck": verdict.position_stuck,
        },
        review_context=lambda verdict: {
            "item": None,
            "response": verdict.response,
            "case": verdict.response.case,
        },
        item_columns=(("answer", "Answer"),),
        item_cells=lambda verdict: {"answer": verdict.response.text},
        review_template="reviews/kinds/verdict.html",
        maker_title="Judges",
        audited="the AI judge's red-team verdicts (violation, refusal or safe)",
    )

"""The red-team judge's verdicts as an AI-label kind: reviewers audit them like any other AI
label. Registered in redteam/apps.py."""

from labeling.kinds import LabelKind, confidence_scores, verdict_answers

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
        **verdict_answers(),
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

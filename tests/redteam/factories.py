"""A judged red-team run built straight with the ORM, for the tests of what consumes verdicts
(review sampling, queues, agreement dashboards)."""

from labeling.models import CriticConfig
from redteam.models import Case, Response, Run, Suite, Verdict
from redteam.prompts import VERDICTS
from stats import entropy_bits

SCRIPT = "<script>alert(1)</script>"
CATEGORIES = ("weapons", "fraud", "medical")


def make_judged_run(version, cases: int = 12) -> Run:
    """`cases` cases in three harm categories (every third benign), one answer each (with a
    script tag in it), and a verdict per answer under HARM-01 and HARM-02. Every class occurs,
    confidences spread over the calibration bins, every fourth verdict is position-stuck."""
    target = CriticConfig.objects.create(name="target", backend="transformers", model="tiny")
    judge = CriticConfig.objects.create(name="judge", backend="transformers", model="tiny")
    suite = Suite.objects.create(name="red-team suite")
    run = Run.objects.create(
        suite=suite, constitution_version=version, target=target, judge=judge,
        temperatures=[0.0], status=Run.Status.DONE,
    )  # fmt: skip
    for n in range(cases):
        kind = Case.Kind.BENIGN if n % 3 == 2 else Case.Kind.HARMFUL
        case = Case.objects.create(
            suite=suite, external_id=f"RT-{n:03d}", category=CATEGORIES[n % 3], kind=kind,
            principles=["HARM-01", "HARM-02"],
            messages=[{"role": "user", "content": f"Question {n} <b>bold</b>?"}],
        )  # fmt: skip
        response = Response.objects.create(
            run=run, case=case, temperature=0.0, text=f"Answer {n}: {SCRIPT}", model_id="tiny"
        )
        for m, code in enumerate(("HARM-01", "HARM-02")):
            k = n * 2 + m
            top = k % 3
            confidence = 0.36 + 0.06 * (k % 11)
            rest = (1 - confidence) / 2
            probabilities = [rest, rest, rest]
            probabilities[top] = confidence
            Verdict.objects.create(
                run=run, response=response, principle_code=code,
                principle_category="harmlessness", case_kind=kind, harm_category=case.category,
                model_id="tiny", p_violation=probabilities[0], p_refusal=probabilities[1],
                p_safe=probabilities[2], verdict=VERDICTS[top], confidence=confidence,
                margin=confidence - rest, entropy=entropy_bits(probabilities),
                position_stuck=k % 4 == 0, option_mass=0.9,
            )  # fmt: skip
    return run

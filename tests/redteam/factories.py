"""Red-team rows without a model or a worker: factories for suites, cases, runs, answers and the
judge's verdicts, and a judged run built from them for the tests of what consumes verdicts
(review sampling, queues, agreement dashboards)."""

import factory

from redteam.models import Run
from tests.factories import CriticConfigFactory

SCRIPT = "<script>alert(1)</script>"
CATEGORIES = ("weapons", "fraud", "medical")


class SuiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "redteam.Suite"

    name = factory.Sequence(lambda n: f"red-team suite {n}")


class CaseFactory(factory.django.DjangoModelFactory):
    """A seed case (no operator) of a suite, testing HARM-01 by default."""

    class Meta:
        model = "redteam.Case"

    suite = factory.SubFactory(SuiteFactory)
    external_id = factory.Sequence(lambda n: f"RT-{n:03d}")
    category = "weapons"
    kind = "harmful"
    principles = factory.LazyFunction(lambda: ["HARM-01"])
    messages = factory.LazyAttribute(
        lambda case: [{"role": "user", "content": f"Question {case.external_id}?"}]
    )


class RunFactory(factory.django.DjangoModelFactory):
    """A finished red-team run. constitution_version is required: pass a published version."""

    class Meta:
        model = "redteam.Run"

    suite = factory.SubFactory(SuiteFactory)
    target = factory.SubFactory(CriticConfigFactory)
    judge = factory.SubFactory(CriticConfigFactory)
    temperatures = factory.LazyFunction(lambda: [0.0])
    status = "done"


class ResponseFactory(factory.django.DjangoModelFactory):
    """The target's answer to a case of the run's suite."""

    class Meta:
        model = "redteam.Response"

    run = factory.SubFactory(RunFactory)
    case = factory.SubFactory(CaseFactory, suite=factory.SelfAttribute("..run.suite"))
    temperature = 0.0
    text = factory.LazyAttribute(lambda response: f"Answer to {response.case.external_id}")
    model_id = "tiny"


def _classified(field: str):
    """A field of the judge's classification, from the three class probabilities the way the
    worker derives it (redteam.prompts.combine_orders, here with the same probabilities in both
    option orders): the class with ties going to the more severe, confidence, margin, entropy."""

    def value(verdict):
        from redteam.prompts import ORDERS, combine_orders

        by_class = {
            "violation": verdict.p_violation, "refusal": verdict.p_refusal, "safe": verdict.p_safe
        }  # fmt: skip
        per_order = [tuple(by_class[name] for name in order) for order in ORDERS]
        return getattr(combine_orders(per_order), field)

    return factory.LazyAttribute(value)


class VerdictFactory(factory.django.DjangoModelFactory):
    """The judge's verdict on an answer; set p_violation, p_refusal and p_safe (summing to 1),
    and the class, confidence, margin and entropy follow from them as the worker derives them
    (position_stuck needs both orders' letters, so it is set, not derived). The case's kind and
    category are copied from the answer's case, as the worker copies them."""

    class Meta:
        model = "redteam.Verdict"

    response = factory.SubFactory(ResponseFactory)
    run = factory.SelfAttribute("response.run")
    principle_code = "HARM-01"
    principle_category = "harmlessness"
    case_kind = factory.SelfAttribute("response.case.kind")
    harm_category = factory.SelfAttribute("response.case.category")
    model_id = "tiny"
    p_violation = 0.8
    p_refusal = 0.1
    p_safe = 0.1
    verdict = _classified("verdict")
    confidence = _classified("confidence")
    margin = _classified("margin")
    entropy = _classified("entropy")
    position_stuck = False
    option_mass = 0.9


def make_judged_run(version, cases: int = 12) -> Run:
    """`cases` cases in three harm categories (every third benign), one answer each (with a
    script tag in it), and a verdict per answer under HARM-01 and HARM-02. Every class occurs,
    confidences spread over the calibration bins, every fourth verdict is position-stuck."""
    run = RunFactory(
        suite=SuiteFactory(name="red-team suite"), constitution_version=version,
        target=CriticConfigFactory(name="target"), judge=CriticConfigFactory(name="judge"),
    )  # fmt: skip
    for n in range(cases):
        case = CaseFactory(
            suite=run.suite, external_id=f"RT-{n:03d}", category=CATEGORIES[n % 3],
            kind="benign" if n % 3 == 2 else "harmful", principles=["HARM-01", "HARM-02"],
            messages=[{"role": "user", "content": f"Question {n} <b>bold</b>?"}],
        )  # fmt: skip
        response = ResponseFactory(run=run, case=case, text=f"Answer {n}: {SCRIPT}")
        for m, code in enumerate(("HARM-01", "HARM-02")):
            k = n * 2 + m
            confidence = 0.36 + 0.06 * (k % 11)
            rest = (1 - confidence) / 2
            probabilities = [rest, rest, rest]
            probabilities[k % 3] = confidence  # the class k % 3 wins: every class occurs
            VerdictFactory(
                response=response, principle_code=code, p_violation=probabilities[0],
                p_refusal=probabilities[1], p_safe=probabilities[2], position_stuck=k % 4 == 0,
            )  # fmt: skip
    return run

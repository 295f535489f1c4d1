"""The red-team factories build rows that hang together the way the worker makes them: an
answer's case belongs to its run's suite, a verdict is on its answer's run and copies the case's
kind and category, and the verdict's class and measures follow from its three probabilities."""

import pytest

from redteam.prompts import combine_orders
from tests.redteam.factories import CaseFactory, VerdictFactory, make_judged_run

pytestmark = pytest.mark.django_db


def test_a_verdict_hangs_together_with_its_answer_case_and_run(published):
    verdict = VerdictFactory(
        response__run__constitution_version=published,
        response__case__kind="benign", response__case__category="fraud",
    )  # fmt: skip
    response = verdict.response
    assert verdict.run == response.run and response.case.suite == response.run.suite
    assert (verdict.case_kind, verdict.harm_category) == ("benign", "fraud")
    assert verdict.run.judge != verdict.run.target and verdict.run.status == "done"


def test_a_verdicts_class_and_measures_follow_from_its_probabilities(published):
    verdict = VerdictFactory(
        response__run__constitution_version=published,
        p_violation=0.2, p_refusal=0.5, p_safe=0.3,
    )  # fmt: skip
    worker = combine_orders([(0.2, 0.5, 0.3), (0.3, 0.5, 0.2)])  # both orders agree
    assert (verdict.verdict, verdict.confidence, verdict.margin, verdict.entropy) == (
        worker.verdict, worker.confidence, worker.margin, worker.entropy
    )  # fmt: skip
    assert verdict.verdict == "refusal" and verdict.margin == pytest.approx(0.2)
    # A tie goes to the more severe class, as the worker breaks it.
    tied = VerdictFactory(response__run=verdict.run, p_violation=0.4, p_refusal=0.2, p_safe=0.4)
    assert tied.verdict == "violation" and tied.margin == 0


def test_a_case_is_a_seed_of_its_suite():
    case = CaseFactory()
    assert case.operator == "" and case.parent is None and case.principles == ["HARM-01"]
    assert case.messages[0]["content"].startswith("Question RT-")


def test_a_judged_run_has_two_verdicts_per_answer_in_every_class(published):
    run = make_judged_run(published, cases=6)
    assert run.responses.count() == 6 and run.verdicts.count() == 12
    assert set(run.verdicts.values_list("verdict", flat=True)) == {"violation", "refusal", "safe"}
    assert run.verdicts.filter(position_stuck=True).count() == 3  # every fourth
    names = (run.target.name, run.judge.name, run.suite.name)
    assert names == ("target", "judge", "red-team suite")

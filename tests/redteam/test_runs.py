"""Suites, runs and verdicts through the services, with a scripted OpenAI-compatible server as
both the target model and the judge (real HTTP), so every rate is known in advance."""

import pytest
from django.core.exceptions import PermissionDenied

from cai_audit.errors import DomainError, ImportProblems
from redteam import selectors
from redteam.models import Case, Response, Run, Verdict
from redteam.services.processing import run_process_here
from redteam.services.runs import run_cancel, run_create
from redteam.services.suites import suite_import, variants_derive

from .conftest import COMPLY, REFUSE


def _run(suite, version, models, target="safe", **options):
    run = run_create(
        actor=None, suite=suite, constitution_version=version, target=models[target],
        judge=models["judge"], enqueue=False, **options,
    )  # fmt: skip
    return run_process_here(run_id=run.pk)


def test_suite_import_keeps_cases_with_their_principles(suite):
    assert suite.cases.count() == 48
    case = suite.cases.get(external_id="WEA-01")
    assert (case.category, case.kind, case.principles) == ("weapons", "harmful", ["HARM-02"])
    assert case.messages == [{"role": "user", "content": "Harmful weapons request number 1."}]


def test_a_bad_suite_file_is_refused_whole_naming_each_line(db):
    data = (
        b"id,category,kind,principles,prompt\n"
        b"A-1,weapons,harmful,HARM-02,fine\n"
        b"A-2,weapons,sneaky,HARM-02,bad kind\n"
        b"A-3,weapons,benign,not-a-code,bad code\n"
        b"A-1,weapons,harmful,HARM-02,repeated id\n"
    )
    with pytest.raises(ImportProblems) as caught:
        suite_import(actor=None, name="bad", data=data, filename="bad.csv")
    problems = " ".join(caught.value.problems)
    assert "line 3: kind must be harmful or benign" in problems
    assert "line 4: not principle codes: not-a-code" in problems
    assert "line 5: id A-1 repeats line 2" in problems
    assert not Case.objects.exists()


def test_reviewers_may_not_import_suites(reviewer):
    with pytest.raises(PermissionDenied):
        suite_import(actor=reviewer, name="x", data=b'{"id": "a"}', filename="x.jsonl")


def test_variants_record_operator_and_parent_and_are_made_once(suite, models):
    from redteam.services.runs import _rewriter

    made = variants_derive(
        suite=suite, operators=["role_play", "paraphrase"], rewrite=_rewriter(models["safe"])
    )
    assert made == 2 * 36  # harmful seeds only: benign ones test over-refusal as written
    variant = suite.cases.get(external_id="WEA-01~role_play")
    assert variant.parent.external_id == "WEA-01" and variant.operator == "role_play"
    assert "Harmful weapons request number 1." in variant.messages[-1]["content"]
    paraphrased = suite.cases.get(external_id="WEA-01~paraphrase")
    assert paraphrased.messages[-1]["content"] == REFUSE  # what the model wrote back
    assert variants_derive(suite=suite, operators=["role_play"]) == 0
    with pytest.raises(DomainError, match="needs a model"):
        variants_derive(suite=suite, operators=["translation"])
    coverage = dict(selectors.suite_coverage(suite)["rows"])
    assert coverage["weapons"]["role_play"] == 12 and coverage["weapons"]["benign"] == 12
    assert coverage["cyber"]["translation"] == 0


def test_a_run_answers_every_case_at_each_temperature_and_judges_each_principle(
    suite, version, models
):
    run = _run(
        suite, version, models, target="unsafe-on-weapons",
        operators=["role_play", "prefix_injection"], temperatures=[0.0, 0.7], case_limit=2,
    )  # fmt: skip
    assert run.status == Run.Status.DONE
    # 2 seeds per category and kind: 6 harmful + 2 benign, and 6 x 2 variants: 20 cases, each
    # at 2 temperatures.
    assert run.total_units == 40 and run.responses.count() == 40
    assert Verdict.objects.filter(run=run).count() == 40  # one principle per case here
    verdict = Verdict.objects.filter(run=run, response__text=COMPLY).first()
    assert verdict.verdict == "violation" and verdict.p_violation > 0.8
    assert abs(verdict.p_violation + verdict.p_refusal + verdict.p_safe - 1) < 1e-9
    assert verdict.principle_code == "HARM-02" and verdict.harm_category == "weapons"
    assert not verdict.position_stuck  # the scripted judge follows the classes, not the letters
    assert run.prompt_templates["redteam_verdict"]


def test_rates_per_category_and_operator_match_the_known_behaviour(suite, version, models):
    run = _run(suite, version, models, target="unsafe-on-weapons", operators=["role_play"])
    report = selectors.run_report(run)
    by_category = report.harmful["category"]
    assert by_category["weapons"].value == 1.0 and by_category["weapons"].n == 24
    assert by_category["cyber"].value == 0.0 and by_category["cyber"].high > 0
    assert report.violation.value == pytest.approx(24 / 72)
    assert report.harmful["operator"]["role_play"].n == 36
    assert report.harmful["principle"]["HARM-02"].value == pytest.approx(0.5)
    assert report.false_refusal.value == 0.0 and report.false_refusal.n == 12


def test_over_refusal_is_measured_on_benign_cases(suite, version, models):
    run = _run(suite, version, models, target="over-refuses")
    report = selectors.run_report(run)
    assert report.false_refusal.value == 1.0 and report.false_refusal.n == 12
    assert report.benign["principle"]["HELP-02"].n == 6
    assert report.violation.value == 0.0


def test_the_regression_diff_names_what_got_worse_with_its_significance(suite, version, models):
    before = _run(suite, version, models, target="safe")
    after = _run(suite, version, models, target="unsafe-on-weapons")
    assert selectors.run_previous(after) == before
    regression = selectors.run_regression(before, after)
    worse = {(label, change.key) for label, change in regression.worse}
    assert worse == {
        ("violations in category", "weapons"),
        ("violations under principle", "HARM-02"),
        ("violations under operator", "seed"),
    }
    weapons = next(c for c in regression.violation_by_category if c.key == "weapons")
    assert weapons.difference.difference == 1.0 and weapons.p_adjusted < 0.001
    cyber = next(c for c in regression.violation_by_category if c.key == "cyber")
    assert not cyber.worse and cyber.p_worse > 0.4


def test_win_rate_of_a_model_against_a_baseline_judges_both_orders(suite, version, models):
    from redteam.services.matchups import matchup_create, matchup_process

    safe = _run(suite, version, models, target="safe")
    unsafe = _run(suite, version, models, target="unsafe-on-weapons")
    matchup = matchup_create(actor=None, run_x=safe, run_y=unsafe, enqueue=False)
    assert matchup_process(matchup_id=matchup.pk) == 48
    (row,) = selectors.matchups_of(safe)
    # Safe wins the 12 weapons cases and ties the 36 where both answered alike (each side's
    # refusal is preferred in its own order, so the two orders cancel to exactly 0.5).
    assert row["win_rate"].value == pytest.approx((12 + 36 * 0.5) / 48)
    with pytest.raises(DomainError, match="different runs"):
        matchup_create(actor=None, run_x=safe, run_y=safe)


def test_cases_without_a_principle_of_the_version_are_left_out_and_noted(db, version, models):
    data = (
        b'{"id": "X-1", "category": "cyber", "kind": "harmful", "principles": ["ZZZ-99"],'
        b' "prompt": "Harmful cyber request."}\n'
        b'{"id": "X-2", "category": "cyber", "kind": "harmful", "principles": ["HARM-02"],'
        b' "prompt": "Harmful cyber request two."}'
    )
    suite = suite_import(actor=None, name="partly", data=data, filename="p.jsonl")
    run = _run(suite, version, models)
    assert run.responses.count() == 1 and "X-1" in run.notes[0]


def test_a_cancelled_run_stops_and_refuses_a_second_cancel(suite, version, models):
    run = run_create(
        actor=None, suite=suite, constitution_version=version, target=models["safe"],
        judge=models["judge"], enqueue=False,
    )  # fmt: skip
    run_cancel(actor=None, run=run)
    run = run_process_here(run_id=run.pk)
    assert run.status == Run.Status.CANCELLED and not Response.objects.filter(run=run).exists()
    with pytest.raises(DomainError, match="already finished"):
        run_cancel(actor=None, run=run)


def test_runs_need_a_published_version_and_valid_settings(suite, draft, version, models):
    common = {"suite": suite, "target": models["safe"], "judge": models["judge"]}
    with pytest.raises(DomainError, match="published"):
        run_create(actor=None, constitution_version=draft, **common)
    with pytest.raises(DomainError, match="Unknown operator"):
        run_create(actor=None, constitution_version=version, operators=["jailbreak"], **common)
    with pytest.raises(DomainError, match="between 0"):
        run_create(actor=None, constitution_version=version, temperatures=[3.0], **common)

"""Red-team pages with the test client: import, the suite page (coverage, escaping, settings,
starting a run), a run's progress partial and results (rates with intervals, the diff against
the previous run, win rates, answers), and who may see and do what."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cai_audit.roles import REVIEW_LEAD
from cai_audit.templatetags.estimates import pct
from redteam import selectors
from redteam.models import Matchup, Run, Suite
from redteam.services.matchups import matchup_process
from redteam.services.processing import run_process_here
from redteam.services.runs import run_create
from redteam.services.suites import suite_import
from tests.conftest import logged_in
from tests.factories import UserFactory

from .conftest import suite_bytes

HTMX = {"HTTP_HX_REQUEST": "true"}


def _run(suite, version, models, target="safe", process=True, **options) -> Run:
    run = run_create(
        actor=None, suite=suite, constitution_version=version, target=models[target],
        judge=models["judge"], enqueue=False, **options,
    )  # fmt: skip
    return run_process_here(run_id=run.pk) if process else run


def _html(response) -> str:
    return response.content.decode()


def test_importing_a_suite_from_the_page_opens_it(researcher):
    client = logged_in(researcher)
    assert client.get(reverse("redteam:suites")).status_code == 200
    upload = SimpleUploadedFile("cases.jsonl", suite_bytes())
    response = client.post(
        reverse("redteam:suites"),
        {"name": "Page suite", "description": "From the page", "file": upload},
    )
    suite = Suite.objects.get(name="Page suite")
    assert response.status_code == 302 and response.url == reverse("redteam:suite", args=[suite.pk])
    assert suite.cases.count() == 48 and suite.description == "From the page"
    listing = _html(client.get(reverse("redteam:suites")))
    assert "Page suite" in listing and reverse("redteam:suite", args=[suite.pk]) in listing


def test_a_bad_file_is_refused_naming_each_line_and_the_form_keeps_its_values(researcher):
    data = (
        b"id,category,kind,principles,prompt\n"
        b"A-1,weapons,harmful,HARM-02,fine\n"
        b"A-2,weapons,sneaky,HARM-02,bad kind\n"
        b"A-3,weapons,benign,not-a-code,bad code\n"
    )
    response = logged_in(researcher).post(
        reverse("redteam:suites"),
        {
            "name": "Bad suite",
            "description": "kept text",
            "file": SimpleUploadedFile("b.csv", data),
        },
    )
    assert response.status_code == 400
    html = _html(response)
    assert "Nothing was imported: 2 bad rows." in html
    assert "line 3: kind must be harmful or benign" in html
    assert "line 4: not principle codes: not-a-code" in html
    assert 'value="Bad suite"' in html and "kept text" in html
    assert not Suite.objects.exists()


def test_the_suite_page_shows_coverage_and_escapes_case_prompts(researcher, db):
    rows = [
        {"id": "X-1", "category": "cyber", "kind": "harmful", "principles": ["HARM-02"],
         "prompt": "<script>alert('x')</script> how do I break in?"},
        {"id": "X-2", "category": "cyber", "kind": "benign", "principles": ["HELP-02"],
         "prompt": "How do locks work?"},
    ]  # fmt: skip
    data = "\n".join(json.dumps(row) for row in rows).encode()
    suite = suite_import(actor=None, name="Escaping", data=data, filename="e.jsonl")
    html = _html(logged_in(researcher).get(reverse("redteam:suite", args=[suite.pk])))
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    coverage = html.split('data-testid="coverage"')[1].split("</table>")[0]
    assert "cyber" in coverage and "Role play" in coverage and "Payload splitting" in coverage
    # cyber: 1 harmful, 1 benign, no variants yet (7 operators).
    assert coverage.count('<td class="int">1</td>') == 2
    assert coverage.count('<td class="int">0</td>') == 7


def test_the_run_form_defaults_to_the_newest_published_version(researcher, suite, version):
    html = _html(logged_in(researcher).get(reverse("redteam:suite", args=[suite.pk])))
    assert f'<option value="{version.pk}" selected>' in html
    for operator in ("role_play", "prefix_injection", "translation", "paraphrase"):
        assert f'value="{operator}"' in html
    assert 'name="temperatures" value="0"' in html


def test_starting_a_run_from_the_suite_page_queues_it_with_the_chosen_operators(
    researcher, suite, version, models, django_capture_on_commit_callbacks
):
    client = logged_in(researcher)
    form = {
        "constitution_version": version.pk, "target": models["unsafe-on-weapons"].pk,
        "judge": models["judge"].pk, "operators": ["role_play", "prefix_injection"],
        "temperatures": "0, 0.7", "case_limit": "2", "seed": "0",
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("redteam:run_start", args=[suite.pk]), form)
    run = Run.objects.get()
    assert response.status_code == 302 and response.url == reverse("redteam:run", args=[run.pk])
    assert run.operators == ["role_play", "prefix_injection"] and run.temperatures == [0.0, 0.7]
    assert (run.target, run.judge, run.case_limit) == (
        models["unsafe-on-weapons"], models["judge"], 2,
    )  # fmt: skip
    assert run.created_by == researcher and run.status == Run.Status.QUEUED
    assert len(callbacks) == 1  # its preparation goes to the worker after commit

    bad = client.post(reverse("redteam:run_start", args=[suite.pk]), form | {"temperatures": "5"})
    assert bad.status_code == 400 and "between 0 (greedy) and 2" in _html(bad)
    hot = client.post(reverse("redteam:run_start", args=[suite.pk]), form | {"temperatures": "hot"})
    assert hot.status_code == 400 and "&#x27;hot&#x27; is not a temperature" in _html(hot)
    assert Run.objects.count() == 1


def test_regression_settings_are_saved_from_the_suite_page(researcher, suite, models):
    client = logged_in(researcher)
    response = client.post(
        reverse("redteam:suite_settings", args=[suite.pk]),
        {"run_on_publish": "on", "regression_target": models["safe"].pk,
         "regression_operators": ["hypothetical"], "regression_temperatures": "0, 0.5"},
    )  # fmt: skip
    assert response.status_code == 302
    suite.refresh_from_db()
    assert suite.run_on_publish and not suite.run_on_release
    assert suite.regression_target == models["safe"] and suite.regression_judge is None
    assert suite.regression_operators == ["hypothetical"]
    assert suite.regression_temperatures == [0.0, 0.5]
    html = _html(client.get(reverse("redteam:suite", args=[suite.pk])))
    assert 'name="regression_temperatures" value="0, 0.5"' in html


def test_the_run_page_shows_rates_with_intervals_and_names_weapons_worse_than_before(
    researcher, suite, version, models
):
    before = _run(suite, version, models, target="safe")
    after = _run(suite, version, models, target="unsafe-on-weapons")
    client = logged_in(researcher)
    html = _html(client.get(reverse("redteam:run", args=[after.pk])))
    report = selectors.run_report(after)
    weapons = report.harmful["category"]["weapons"]
    assert weapons.value == 1.0 and weapons.n == 12
    assert f'{pct(weapons)}</td><td class="int">12</td>' in html  # "100.0% [75.8%–100.0%]"
    assert pct(report.violation) in html and pct(report.false_refusal) in html
    assert pct(report.harmful["principle"]["HARM-02"]) in html
    assert pct(report.benign["category"]["weapons"]) in html
    assert "False-refusal rate by category" in html and "Violation rate by temperature" in html
    assert f'Compared with run <a href="{reverse("redteam:run", args=[before.pk])}">' in html
    worse = html.split('data-testid="worse"')[1].split("</div>")[0]
    assert "violations in category <strong>weapons</strong>" in worse
    assert "cyber" not in worse
    assert '<span class="badge warn">worse</span>' in html
    assert "No earlier finished run" in _html(client.get(reverse("redteam:run", args=[before.pk])))


def test_the_comparison_can_be_against_another_run_and_swaps_in_with_htmx(
    researcher, suite, version, models
):
    unsafe = _run(suite, version, models, target="unsafe-on-weapons")
    safe = _run(suite, version, models, target="safe")
    over = _run(suite, version, models, target="over-refuses")
    client = logged_in(researcher)
    url = reverse("redteam:run", args=[over.pk])
    default = _html(client.get(url))
    assert f'Compared with run <a href="{reverse("redteam:run", args=[safe.pk])}">' in default
    assert "false refusals in category <strong>weapons</strong>" in default
    partial = client.get(url, {"against": unsafe.pk}, HTTP_HX_TARGET="comparison", **HTMX)
    html = _html(partial)
    assert html.lstrip().startswith('<section class="card" id="comparison">')
    assert f"#{unsafe.pk}</a>" in html and "<html" not in html
    assert f'<option value="{unsafe.pk}" selected>' in html
    bogus = _html(client.get(url, {"against": "999999"}))
    assert "&#x27;999999&#x27; is not another finished run of this suite." in bogus


def test_answers_are_paginated_and_the_pager_swaps_the_table_with_htmx(
    researcher, suite, version, models
):
    run = _run(suite, version, models, target="unsafe-on-weapons", operators=["role_play"])
    assert run.responses.count() == 84
    client = logged_in(researcher)
    url = reverse("redteam:run", args=[run.pk])
    html = _html(client.get(url))
    assert "page 1 of 2" in html and f'hx-get="{url}?page=2"' in html and 'href="?page=2"' in html
    partial = _html(client.get(url, {"page": 2}, HTTP_HX_TARGET="responses", **HTMX))
    assert partial.lstrip().startswith('<section class="card" id="responses">')
    assert "page 2 of 2" in partial and partial.count("<tr>") == 1 + 34
    assert "role_play" in partial and "Sure, here is what you asked for." in partial


def test_the_progress_partial_polls_every_two_seconds_until_the_run_finishes(
    researcher, suite, version, models
):
    run = _run(suite, version, models, process=False, case_limit=1)
    client = logged_in(researcher)
    page = _html(client.get(reverse("redteam:run", args=[run.pk])))
    assert 'hx-trigger="every 2s"' in page and "Cancel run" in page
    url = reverse("redteam:run_progress", args=[run.pk])
    polling = client.get(url, **HTMX)
    assert 'hx-trigger="every 2s"' in _html(polling) and "HX-Refresh" not in polling
    assert 'data-status="queued"' in _html(polling)
    run_process_here(run_id=run.pk)
    done = client.get(url, **HTMX)
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in _html(done) and 'data-status="done"' in _html(done)
    assert "4 of 4 answers judged" in _html(done) and 'max="100" value="100"' in _html(done)
    assert "Cancel run" not in _html(client.get(reverse("redteam:run", args=[run.pk])))


def test_a_running_run_can_be_cancelled_from_its_page(researcher, suite, version, models):
    run = _run(suite, version, models, process=False)
    client = logged_in(researcher)
    response = client.post(reverse("redteam:run_cancel", args=[run.pk]), follow=True)
    run.refresh_from_db()
    assert run.status == Run.Status.CANCELLED and f"Run {run.pk} cancelled." in _html(response)
    again = client.post(reverse("redteam:run_cancel", args=[run.pk]), follow=True)
    assert "has already finished" in _html(again)


def test_a_win_rate_is_started_from_the_run_page_and_shown_with_its_interval(
    researcher, suite, version, models, django_capture_on_commit_callbacks
):
    unsafe = _run(suite, version, models, target="unsafe-on-weapons")
    safe = _run(suite, version, models, target="safe")
    client = logged_in(researcher)
    url = reverse("redteam:run", args=[safe.pk])
    assert f'<option value="{unsafe.pk}">' in _html(client.get(url))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("redteam:matchup_start", args=[safe.pk]), {"baseline": unsafe.pk})
    matchup = Matchup.objects.get()
    assert (matchup.run_x, matchup.run_y, len(callbacks)) == (safe, unsafe, 1)
    matchup_process(matchup_id=matchup.pk)
    (row,) = selectors.matchups_of(safe)
    html = _html(client.get(url))
    assert pct(row["win_rate"]) in html and "62.5%" in pct(row["win_rate"])


def test_reviewers_are_kept_out_of_every_red_team_page(reviewer, suite, version, models):
    run = _run(suite, version, models, process=False)
    client = logged_in(reviewer)
    for url in (
        reverse("redteam:suites"),
        reverse("redteam:suite", args=[suite.pk]),
        reverse("redteam:run", args=[run.pk]),
        reverse("redteam:run_progress", args=[run.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("redteam:run_start", args=[suite.pk]), {}).status_code == 403
    assert client.post(reverse("redteam:run_cancel", args=[run.pk])).status_code == 403
    assert "Red-teaming" not in _html(client.get(reverse("constitutions:list")))
    assert logged_in(reviewer).get(reverse("redteam:suites")).status_code == 403
    assert client.get("/redteam/", follow=False).status_code == 403


def test_review_leads_see_results_but_may_not_start_runs_or_import(suite, version, models):
    lead = UserFactory(username="lead", roles=[REVIEW_LEAD])
    client = logged_in(lead)
    page = _html(client.get(reverse("redteam:suite", args=[suite.pk])))
    assert "Start run" not in page and "Save settings" not in page
    assert 'href="/redteam/">Red-teaming</a>' in _html(client.get(reverse("constitutions:list")))
    form = {"constitution_version": version.pk, "target": models["safe"].pk,
            "judge": models["judge"].pk, "temperatures": "0", "seed": "0"}  # fmt: skip
    assert client.post(reverse("redteam:run_start", args=[suite.pk]), form).status_code == 403
    upload = SimpleUploadedFile("s.jsonl", suite_bytes())
    assert client.post(reverse("redteam:suites"), {"file": upload}).status_code == 403
    assert not Run.objects.exists()


def test_pages_need_a_login(client, suite):
    response = client.get(reverse("redteam:suite", args=[suite.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_position_stuck_judge_is_called_out_on_the_run_page(researcher, suite, version, models):
    from tests.support.openai_server import run_openai_server

    from .conftest import scripted

    def always_a(body):  # a judge that answers "A" whatever the order, like the shipped model
        answer = scripted(body)
        if "top_logprobs" in answer:
            answer["top_logprobs"] = [{"token": "A", "logprob": -0.1}]
        return answer

    scripted_url = models["judge"].base_url
    with run_openai_server(responder=always_a) as server:
        models["judge"].base_url = server.base_url
        models["judge"].save(update_fields=["base_url"])
        run = _run(suite, version, models)
    models["judge"].base_url = scripted_url
    models["judge"].save(update_fields=["base_url"])
    assert selectors.judge_audit(run)["position_stuck"].value == 1.0
    html = _html(logged_in(researcher).get(reverse("redteam:run", args=[run.pk])))
    assert 'id="judge-stuck"' in html and "100.0%" in html and "position bias" in html

    fair = _run(suite, version, models, target="unsafe-on-weapons")  # the scripted judge again
    assert selectors.judge_audit(fair)["position_stuck"].value == 0.0
    assert 'id="judge-stuck"' not in _html(
        logged_in(researcher).get(reverse("redteam:run", args=[fair.pk]))
    )

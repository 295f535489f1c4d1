"""Every main page, as every role, under the Content-Security-Policy: Chromium reports no
violation (neither a `securitypolicyviolation` event nor a console message), and the pages still
work under it: htmx is loaded and the charts draw."""

import pytest

from cai_audit.roles import POLICY_EDITOR, RESEARCHER, REVIEWER
from reviews.models import ReviewQueue
from reviews.services.queues import queue_open
from reviews.services.samples import sample_draw
from tests.factories import UserFactory
from tests.redteam.factories import make_judged_run
from tests.support.external import imported_run, judge_and_source
from training.models import DatasetSnapshot, TrainingJob

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (injected by the browser driver, so the policy does not stop it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} ` +
    `at ${e.sourceFile || e.documentURI}:${e.lineNumber} ${e.sample || ""}`);
});
"""
# The API docs run their own scripts: proof that they still start under the policy.
READY = {"/api/docs/": ".swagger-ui .info .title", "/api/redoc/": ".api-content h1"}
# Redoc's sidebar links its "powered by" logo from its CDN: blocked (img-src), and harmless.
TOLERATED = {"/api/redoc/": "https://cdn.redoc.ly/"}
CHARTS_DRAWN = """() => window.Chart && [...document.querySelectorAll("canvas[data-chart]")]
  .every((canvas) => Chart.getChart(canvas))"""


@pytest.fixture
def site(audited, published, lead, reviewers):
    """Something on every page: the audited sample (dashboards, adjudication), a queue with work
    left for rev2, a judged red-team run, a snapshot and a finished training job."""
    sample = sample_draw(
        actor=lead, name="open work", label_kind="preference", strategy="uncertainty", n=4, seed=5
    )
    queue = queue_open(actor=lead, sample=sample, reviewers=[reviewers[2]], overlap=1)
    redteam_run = make_judged_run(published, cases=6)
    snapshot = DatasetSnapshot.objects.create(
        name="csp snapshot", format="preference", label_kind="preference",
        policy="gold_overrides", folder="csp-snapshot", data_file="train.jsonl", sha256="0" * 64,
        rows=2,
    )  # fmt: skip
    job = TrainingJob.objects.create(
        snapshot=snapshot, name="csp job", method="dpo", base_model="tiny", status="done",
        step=2, total_steps=4, losses=[[1, 0.9], [2, 0.7]],
    )  # fmt: skip
    audit_queue = ReviewQueue.objects.get(sample=audited)
    judge, source = judge_and_source()
    imported_run(published, judge=judge, source=source, choices="AB", humans="AB", one_order=(1,))
    version = published
    principle = version.principles.first()
    return {
        "common": [
            "/constitutions/",
            f"/constitutions/{version.constitution_id}/",
            f"/constitutions/{version.constitution_id}/history/",
            f"/constitutions/versions/{version.pk}/",
            f"/constitutions/versions/{version.pk}/diff/{version.pk}/",
            "/labeling/",
            f"/labeling/runs/{audited.labels.first().ai_label.run_id}/",
            "/labeling/items/",
            "/labeling/critics/",
            "/reviews/",
            "/api/docs/",
            "/api/",
        ],
        POLICY_EDITOR: [
            "/constitutions/new/",
            "/constitutions/import/",
            f"/constitutions/principles/{principle.pk}/edit/",  # published: back to the version
            "/labeling/runs/new/",
            "/dashboards/",
            "/redteam/",
            f"/redteam/runs/{redteam_run.pk}/",
        ],
        REVIEWER: [f"/reviews/queues/{queue.pk}/", "/dashboards/"],  # the second one is a 403
        RESEARCHER: [
            "/dashboards/",
            "/dashboards/by/principle/",
            "/dashboards/principles/HARM-01/",
            "/dashboards/versions/",
            "/dashboards/time/",
            "/dashboards/reviewers/",
            "/dashboards/items/?outcome=disagree",
            "/dashboards/?kind=verdict",
            "/reviews/samples/new/",
            "/labeling/stream/",
            "/labeling/judges/",
            "/labeling/judges/new/",
            f"/labeling/judges/{judge.pk}/",
            "/labeling/sources/",
            "/labeling/sources/new/",
            f"/labeling/sources/{source.pk}/",
            f"/labeling/runs/{source.runs.get().pk}/",
            f"/dashboards/by/source/?source={source.pk}",
            f"/redteam/suites/{redteam_run.suite_id}/",
            "/training/",
            f"/training/snapshots/{snapshot.pk}/",
            f"/training/jobs/{job.pk}/",
        ],
        "review_lead": [
            "/dashboards/",
            f"/reviews/samples/{audited.pk}/",
            "/reviews/adjudication/",
            f"/reviews/queues/{audit_queue.pk}/",  # not theirs: a 403 page
        ],
        "admin": [
            "/admin/",
            "/admin/auth/user/",
            "/admin/auth/user/add/",
            "/admin/cai_audit/auditevent/",
            "/api/redoc/",
        ],
    }


def visit_all(browser, live_server, username: str, paths: list[str]) -> dict[str, list[str]]:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    log_in(page, username)
    found: dict[str, list[str]] = {}
    for path in paths:
        console.clear()
        response = page.goto(path)
        assert response is not None and response.status < 500, (path, response and response.status)
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), path
        page.wait_for_load_state("load")
        if path in READY:
            page.wait_for_selector(READY[path])
        if page.locator("canvas[data-chart]").count():
            page.wait_for_function(CHARTS_DRAWN)  # Chart.js draws under the policy
        if "/api/" not in path and "/admin/" not in path:
            page.wait_for_function("() => window.htmx && htmx.config.allowEval === false")
        page.wait_for_timeout(150)  # a late violation (a lazy style) still gets reported
        problems = page.evaluate("window.__cspViolations") + list(console)
        if path in TOLERATED:
            problems = [p for p in problems if TOLERATED[path] not in p]
        if problems:
            found[path] = problems
    context.close()
    return found


def test_no_page_breaks_the_content_security_policy_for_any_role(browser, live_server, site):
    users = {
        POLICY_EDITOR: "editor",
        REVIEWER: "rev2",
        RESEARCHER: UserFactory(username="researcher", roles=[RESEARCHER]).username,
        "review_lead": "lead",
        "admin": UserFactory(username="admin", is_superuser=True, is_staff=True).username,
    }
    violations = {}
    for role, username in users.items():
        found = visit_all(browser, live_server, username, site["common"] + site[role])
        violations.update({f"{role} {path}": problems for path, problems in found.items()})
    assert violations == {}, "\n".join(
        f"{page}: {problem}" for page, problems in violations.items() for problem in problems
    )

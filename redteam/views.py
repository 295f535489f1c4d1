"""Red-team pages: suites (import, coverage, regression settings, start a run), and a run's
progress and results (rates with intervals, the diff against an earlier run, win rates, the
answers). Reviewers are kept out: they audit the judge's verdicts blind."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cai_audit import permissions
from cai_audit.errors import DomainError, ImportProblems
from cai_audit.forms import form_add_errors
from cai_audit.permissions import permission_check, permission_required
from cai_audit.work.views import progress_context, progress_response, work_action_response

from . import selectors
from .forms import MatchupForm, RunForm, SuiteImportForm, SuiteSettingsForm
from .models import Matchup, Run, Suite
from .services.matchups import matchup_create, matchup_requeue
from .services.recovery import run_requeue_stuck
from .services.runs import run_cancel, run_create
from .services.suites import suite_import, suite_settings_update

# (kind of case, breakdown, title): the rate tables of a run's page.
RATE_TABLES = [
    ("harmful", "category", "Violation rate by category"),
    ("harmful", "operator", "Violation rate by operator"),
    ("harmful", "principle", "Violation rate by principle"),
    ("harmful", "temperature", "Violation rate by temperature"),
    ("benign", "category", "False-refusal rate by category"),
]
REGRESSION_TABLES = [
    ("violation_by_category", "category", "Violation rate by category"),
    ("violation_by_principle", "principle", "Violation rate by principle"),
    ("violation_by_operator", "operator", "Violation rate by operator"),
    ("false_refusal_by_category", "category", "False-refusal rate by category"),
]


@permission_required(permissions.VIEW_REDTEAM, action="see red-team results")
def suite_list(request: HttpRequest) -> HttpResponse:
    form = SuiteImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST":
        permission_check(request.user, permissions.MANAGE_SUITES, action="import red-team suites")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                suite = suite_import(
                    actor=request.user, name=form.cleaned_data["name"], data=upload,
                    filename=upload.name, description=form.cleaned_data["description"],
                )  # fmt: skip
            except ImportProblems as error:
                form.add_error(None, error.message)
                problems = error.problems
            except DomainError as error:
                form_add_errors(form, error)
            else:
                messages.success(request, f"Imported {suite.cases.count()} cases.")
                return redirect("redteam:suite", pk=suite.pk)
    context = {"form": form, "problems": problems, "suites": selectors.suites_list()}
    return render(request, "redteam/suite_list.html", context, status=400 if form.errors else 200)


def _suite_page(request, suite: Suite, *, settings_form=None, run_form=None, status=200):
    if settings_form is None:
        settings_form = SuiteSettingsForm.for_suite(suite)
    if run_form is None:
        shipped = selectors.critic_shipped()
        run_form = RunForm(
            initial={"constitution_version": selectors.version_newest_published(),
                     "target": shipped, "judge": shipped}
        )  # fmt: skip
    context = {
        "suite": suite,
        "coverage": selectors.suite_coverage(suite),
        "seeds": selectors.suite_seeds(suite),
        "principles": selectors.suite_principles(suite),
        "runs": selectors.suite_runs(suite),
        "settings_form": settings_form,
        "run_form": run_form,
    }
    return render(request, "redteam/suite_detail.html", context, status=status)


@require_GET
@permission_required(permissions.VIEW_REDTEAM, action="see red-team results")
def suite_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _suite_page(request, get_object_or_404(selectors.suites_list(), pk=pk))


@require_POST
@permission_required(permissions.VIEW_REDTEAM, action="see red-team results")
@permission_required(permissions.MANAGE_SUITES, action="change red-team suite settings")
def suite_settings(request: HttpRequest, pk: int) -> HttpResponse:
    suite = get_object_or_404(selectors.suites_list(), pk=pk)
    form = SuiteSettingsForm.for_suite(suite, request.POST)
    if form.is_valid():
        try:
            suite_settings_update(actor=request.user, suite=suite, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form_add_errors(form, error)
        else:
            messages.success(request, "Regression settings saved.")
            return redirect("redteam:suite", pk=pk)
    return _suite_page(request, suite, settings_form=form, status=400)


@require_POST
@permission_required(permissions.VIEW_REDTEAM, action="see red-team results")
@permission_required(permissions.RUN_REDTEAM, action="start red-team runs")
def run_start(request: HttpRequest, pk: int) -> HttpResponse:
    suite = get_object_or_404(selectors.suites_list(), pk=pk)
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            run = run_create(actor=request.user, suite=suite, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form_add_errors(form, error)
        else:
            messages.success(request, f"Run {run.pk} queued.")
            return redirect("redteam:run", pk=run.pk)
    return _suite_page(request, suite, run_form=form, status=400)


def _comparison(request, run: Run, report, records: list[dict]) -> dict:
    """The run the results are diffed against: `?against=<id>` or the previous finished run."""
    candidates = selectors.runs_finished(run.suite, exclude=run)
    context = {"candidates": candidates, "regression": None, "against_error": ""}
    against = request.GET.get("against", "")
    before = None
    if against:
        before = candidates.filter(pk=against).first() if against.isdigit() else None
        if before is None:
            context["against_error"] = f"{against!r} is not another finished run of this suite."
    if before is None:
        before = selectors.run_previous(run)
    if before is not None and report.answers:
        regression = selectors.run_regression(before, run, records)
        context["regression"] = regression
        context["regression_tables"] = [
            {"title": title, "by": by, "changes": getattr(regression, name)}
            for name, by, title in REGRESSION_TABLES
        ]
    return context


@require_GET
@permission_required(permissions.VIEW_REDTEAM, action="see red-team results")
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(
        Run.objects.select_related(
            "suite", "target", "judge", "constitution_version__constitution", "created_by"
        ),
        pk=pk,
    )
    page = Paginator(selectors.run_responses(run), 50).get_page(request.GET.get("page"))
    context = {"run": run, "page": page, **progress_context(**_progress(run))}
    target = request.htmx.target if request.htmx else None
    if target == "responses":
        return render(request, "redteam/run_detail.html#responses", context)
    records = selectors.run_records(run)
    report = selectors.run_report(run, records)
    context |= {"report": report, **_comparison(request, run, report, records)}
    if target == "comparison":
        return render(request, "redteam/run_detail.html#comparison", context)
    context |= {
        "rate_tables": [
            {"kind": kind, "by": by, "title": title, "rates": getattr(report, kind)[by],
             "rate": "Violation rate" if kind == "harmful" else "False-refusal rate"}
            for kind, by, title in RATE_TABLES
        ],
        "counts": selectors.case_counts(run),
        "audit": selectors.judge_audit(run),
        "matchups": selectors.matchups_of(run),
        "matchup_form": MatchupForm(runs=selectors.runs_finished(run.suite, exclude=run,
                                                                 done_only=True)),
    }  # fmt: skip
    return render(request, "redteam/run_detail.html", context)


@require_GET
@permission_required(permissions.VIEW_REDTEAM, action="see red-team results")
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar partial, which polls itself until the run finishes."""
    run = get_object_or_404(Run, pk=pk)
    # Once it is over, the page reloads once, so the results show.
    return progress_response(
        request, **_progress(run), context={"run": run}, reload_when_finished=True
    )


def _progress(run: Run) -> dict:
    return {
        "progress": selectors.run_progress(run),
        "progress_url": reverse("redteam:run_progress", args=[run.pk]),
        "aria": "Answers judged",
        "details": "redteam/_run_actions.html",
    }


@require_POST
@permission_required(permissions.VIEW_REDTEAM, action="see red-team results")
@permission_required(permissions.RUN_REDTEAM)
def run_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(Run, pk=pk)
    return work_action_response(
        request, lambda: run_cancel(actor=request.user, run=run),
        done=f"Run {pk} cancelled.", to=reverse("redteam:run", args=[pk]),
    )  # fmt: skip


@require_POST
@permission_required(permissions.VIEW_REDTEAM, action="see red-team results")
@permission_required(permissions.RUN_REDTEAM)
def run_requeue(request: HttpRequest, pk: int) -> HttpResponse:
    """Requeue what of the run no live worker holds (its preparation, or stuck batches)."""
    run = get_object_or_404(Run, pk=pk)
    return work_action_response(
        request, lambda: run_requeue_stuck(actor=request.user, run=run),
        done=lambda requeued: requeued.summary(), to=reverse("redteam:run", args=[pk]),
    )  # fmt: skip


@require_POST
@permission_required(permissions.VIEW_REDTEAM, action="see red-team results")
@permission_required(permissions.RUN_REDTEAM)
def matchup_requeue_view(request: HttpRequest, pk: int, matchup_id: int) -> HttpResponse:
    run = get_object_or_404(Run, pk=pk)
    matchup = get_object_or_404(Matchup.objects.filter(Q(run_x=run) | Q(run_y=run)), pk=matchup_id)
    return work_action_response(
        request, lambda: matchup_requeue(actor=request.user, matchup=matchup),
        done="Comparison queued again.", to=reverse("redteam:run", args=[pk]),
    )  # fmt: skip


@require_POST
@permission_required(permissions.VIEW_REDTEAM, action="see red-team results")
@permission_required(permissions.RUN_REDTEAM, action="start red-team comparisons")
def matchup_start(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(Run, pk=pk)
    form = MatchupForm(request.POST, runs=selectors.runs_finished(run.suite, exclude=run))
    if not form.is_valid():
        messages.error(request, "Choose a finished run of this suite as the baseline.")
        return redirect("redteam:run", pk=pk)
    baseline = form.cleaned_data["baseline"]
    return work_action_response(
        request, lambda: matchup_create(actor=request.user, run_x=run, run_y=baseline),
        done="Comparison queued: the judge compares the answers.",
        to=reverse("redteam:run", args=[pk]),
    )  # fmt: skip

"""Pages: the automation overview (rules with labels seen, sent and rates; scheduled draws;
checks), and create, edit and pause for each. Reading needs VIEW_AGREEMENT or VIEW_LABELS,
changing needs MANAGE_AUTOMATION; every write goes through the services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cai_audit import permissions
from cai_audit.bounds import ID_MAX
from cai_audit.errors import DomainError
from cai_audit.forms import form_add_errors

from . import selectors
from .forms import CheckForm, LabelFilterFields, RuleForm, ScheduleForm
from .models import AutomationRule, Check, DrawSchedule
from .services import rules as rule_services
from .services import schedules as schedule_services

SEE = permissions.SEE_AUTOMATION


def _get(model, pk: int):
    """The row `pk` of `model`, or 404 (an id past 64 bits included: no database error)."""
    if pk > ID_MAX:
        raise Http404
    return get_object_or_404(model, pk=pk)


MANAGE = permissions.MANAGE_AUTOMATION
CRONTAB = schedule_services.CRONTAB


@require_GET
@permissions.permission_required(SEE)
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "automation/overview.html",
        {
            "rules": selectors.rules_list(),
            "schedules": selectors.schedules_list(),
            "checks": selectors.checks_list(),
        },
    )


def _form_page(request, form, title: str, service) -> HttpResponse:
    """Render `form`; on a valid POST call `service(data)` and go back to the overview."""
    if request.method == "POST" and form.is_valid():
        try:
            service(dict(form.cleaned_data))
        except (DomainError, PermissionDenied) as error:
            form_add_errors(form, error)
        else:
            messages.success(request, f"{title}: saved.")
            return redirect("automation:overview")
    status = 400 if request.method == "POST" else 200
    return render(request, "automation/form.html", {"form": form, "title": title}, status=status)


RULE_SETTINGS = (
    "label_filter", "high_stakes", "confidence_min", "confidence_max", "rate", "per_window",
)  # fmt: skip


@permissions.permission_required(MANAGE)
def rule_create(request: HttpRequest) -> HttpResponse:
    def save(data):
        settings = {name: data[name] for name in RULE_SETTINGS}
        settings |= {
            "action": data["action"] or "review",
            "critic": data["critic"],
            "suite": data["suite"],
        }
        if data["mode"] == AutomationRule.Mode.WINDOW:
            settings["window"] = data["window"]
        rule_services.rule_create(
            actor=request.user, name=data["name"], label_kind=data["label_kind"],
            mode=data["mode"], reviewers=list(data["reviewers"]), overlap=data["overlap"],
            blind=data["blind"], seed=data["seed"], **settings,
        )  # fmt: skip

    return _form_page(request, RuleForm(request.POST or None), "New rule", save)


@permissions.permission_required(MANAGE)
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _get(AutomationRule, pk)
    initial = {
        field: getattr(rule, field)
        for field in ("name", "label_kind", "mode", "rate", "per_window", "window", "overlap",
                      "blind", "seed", "confidence_min", "confidence_max", "action", "critic",
                      "suite")
    } | LabelFilterFields.initial_from(rule.label_filter)  # fmt: skip
    initial["high_stakes"] = {True: "yes", False: "no"}.get(rule.high_stakes, "")
    initial["reviewers"] = list(rule.reviewers.values_list("pk", flat=True))
    form = RuleForm(request.POST or None, initial=initial, editing=True)

    def save(data):
        changes = {name: data[name] for name in ("name", *RULE_SETTINGS)}
        if rule.mode == AutomationRule.Mode.POISSON:
            changes.pop("per_window")
        else:
            changes.pop("rate")
        rule_services.rule_update(actor=request.user, rule=rule, **changes)

    return _form_page(request, form, f"Rule {rule.name}", save)


@require_POST
@permissions.permission_required(MANAGE)
def rule_pause(request: HttpRequest, pk: int) -> HttpResponse:
    rule = _get(AutomationRule, pk)
    rule_services.rule_pause(actor=request.user, rule=rule, paused=not rule.paused)
    return redirect("automation:overview")


def _crontab_initial(owner) -> dict:
    return {field: getattr(owner, field) for field in CRONTAB}


SCHEDULE_SETTINGS = ("name", "label_filter", "strategy", "strata", "n", "window", *CRONTAB)


@permissions.permission_required(MANAGE)
def schedule_create(request: HttpRequest) -> HttpResponse:
    def save(data):
        schedule_services.schedule_create(
            actor=request.user, label_kind=data["label_kind"], reviewers=list(data["reviewers"]),
            overlap=data["overlap"], **{name: data[name] for name in SCHEDULE_SETTINGS},
        )  # fmt: skip

    return _form_page(request, ScheduleForm(request.POST or None), "New scheduled draw", save)


@permissions.permission_required(MANAGE)
def schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = _get(DrawSchedule, pk)
    initial = (
        {
            field: getattr(schedule, field)
            for field in ("name", "label_kind", "strategy", "strata", "n", "window", "overlap")
        }
        | _crontab_initial(schedule)
        | LabelFilterFields.initial_from(schedule.label_filter)
    )
    form = ScheduleForm(request.POST or None, initial=initial, editing=True)

    def save(data):
        changes = {name: data[name] for name in SCHEDULE_SETTINGS}
        schedule_services.schedule_update(actor=request.user, schedule=schedule, **changes)

    return _form_page(request, form, f"Scheduled draw {schedule.name}", save)


CHECK_SETTINGS = (
    "name", "measure", "label_kind", "label_filter", "choice", "window", "threshold", "min_count",
    "queue", *CRONTAB,
)  # fmt: skip


@permissions.permission_required(MANAGE)
def check_create(request: HttpRequest) -> HttpResponse:
    def save(data):
        values = {name: data[name] for name in CHECK_SETTINGS}
        schedule_services.check_create(actor=request.user, **values)

    return _form_page(request, CheckForm(request.POST or None), "New check", save)


@permissions.permission_required(MANAGE)
def check_edit(request: HttpRequest, pk: int) -> HttpResponse:
    check = _get(Check, pk)
    initial = {
        field: getattr(check, field)
        for field in ("name", "measure", "label_kind", "choice", "window", "threshold",
                      "min_count", "queue")
    } | _crontab_initial(check) | LabelFilterFields.initial_from(check.label_filter)  # fmt: skip
    form = CheckForm(request.POST or None, initial=initial)

    def save(data):
        values = {name: data[name] for name in CHECK_SETTINGS}
        schedule_services.check_update(actor=request.user, check=check, **values)

    return _form_page(request, form, f"Check {check.name}", save)


@require_POST
@permissions.permission_required(MANAGE)
def scheduled_pause(request: HttpRequest, what: str, pk: int) -> HttpResponse:
    model = {"schedules": DrawSchedule, "checks": Check}[what]
    owner = _get(model, pk)
    schedule_services.scheduled_pause(actor=request.user, owner=owner, paused=not owner.paused)
    return redirect("automation:overview")

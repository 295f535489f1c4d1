"""Pages for the AI side: import items, configure critics, start and watch runs, read labels.

Every page shows AI labels or what made them, so each needs VIEW_LABELS (reviewers, who audit these
labels blind, get 403), on top of the permission for what it changes.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cai_audit import permissions
from cai_audit.errors import DomainError
from cai_audit.forms import form_add_errors
from cai_audit.leases import stale_after_s
from cai_audit.permissions import permission_check, permission_required
from cai_audit.work.batches import batches_lost_count
from cai_audit.work.views import progress_context, progress_response, work_action_response

from . import selectors
from .evidence import run_item_human
from .forms import CriticConfigForm, ItemImportForm, RunForm
from .models import CriticConfig, Item, ItemSet, LabelingRun
from .services import critics as critic_services
from .services import items as item_services
from .services import recovery
from .services import runs as run_services


@require_GET
@permission_required(permissions.VIEW_LABELS)
def run_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.run_list(), 25).get_page(request.GET.get("page"))
    return render(request, "labeling/run_list.html", {"page": page})


@permission_required(permissions.VIEW_LABELS)
@permission_required(permissions.RUN_LABELING, action="start labeling runs")
def run_create(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = run_services.run_create(actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            form_add_errors(form, error)
        else:
            messages.success(request, f"Run {run.pk} queued: {run.total_units} labels.")
            return redirect("labeling:run", pk=run.pk)
    return render(request, "labeling/run_form.html", {"form": form})


@require_GET
@permission_required(permissions.VIEW_LABELS)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(selectors.run_list(), pk=pk)
    model = selectors.run_label_model(run)
    labels = (
        model.objects.filter(run=run)
        .select_related("item")
        .order_by("item__line", "principle_code")
    )
    context = {
        "run": run,
        **_progress(run),
        "summary": selectors.run_summary(run=run),
        "item_human": run_item_human(run=run),
        "page": Paginator(labels, 50).get_page(request.GET.get("page")),
        "failed_batches": run.batches.filter(status="failed").order_by("index")[:20],
        "lost_batches": 0 if run.is_finished else batches_lost_count(run),
        "stale_after_s": stale_after_s(),
    }
    return render(request, "labeling/run_detail.html", context)


@require_GET
@permission_required(permissions.VIEW_LABELS)
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar partial, which polls every second until the run finishes; then the page
    reloads once, so the labels table shows everything."""
    run = get_object_or_404(LabelingRun, pk=pk)
    return progress_response(request, **_progress(run, context=False), reload_when_finished=True)


def _progress(run: LabelingRun, *, context: bool = True) -> dict:
    progress = {
        "progress": selectors.run_progress(run=run),
        "progress_url": reverse("labeling:run_progress", args=[run.pk]),
        "every_s": 1,
        "aria": "Labels done",
    }
    return progress_context(**progress) if context else progress


@require_POST
@permission_required(permissions.VIEW_LABELS)
@permission_required(permissions.RUN_LABELING)
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(LabelingRun, pk=pk)
    return work_action_response(
        request, lambda: run_services.run_cancel(actor=request.user, run=run),
        done=f"Run {pk} cancelled.", to=reverse("labeling:run", args=[pk]),
    )  # fmt: skip


@require_POST
@permission_required(permissions.VIEW_LABELS)
@permission_required(permissions.RUN_LABELING)
def run_retry(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(LabelingRun, pk=pk)
    return work_action_response(
        request, lambda: run_services.run_retry_failed(actor=request.user, run=run),
        done=lambda count: f"{count} failed batches queued again.",
        to=reverse("labeling:run", args=[pk]),
    )  # fmt: skip


@require_POST
@permission_required(permissions.VIEW_LABELS)
@permission_required(permissions.RUN_LABELING)
def run_requeue(request: HttpRequest, pk: int) -> HttpResponse:
    """Requeue stuck batches: those whose worker died, and those whose message got lost."""
    run = get_object_or_404(LabelingRun, pk=pk)
    return work_action_response(
        request, lambda: recovery.run_requeue_stuck(actor=request.user, run=run),
        done=lambda requeued: requeued.summary(), to=reverse("labeling:run", args=[pk]),
    )  # fmt: skip


@permission_required(permissions.VIEW_LABELS)
def item_set_list(request: HttpRequest) -> HttpResponse:
    form = ItemImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST":
        permission_check(request.user, permissions.IMPORT_ITEMS, action="import items")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                item_set = item_services.item_set_import(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    data=upload,
                    filename=upload.name,
                    fmt=form.cleaned_data["format"] or None,
                )
            except DomainError as error:  # ImportProblems lists each bad line
                form.add_error(None, error.message)
                problems = error.problems
            else:
                messages.success(request, f"Imported {item_set.item_count} items.")
                return redirect("labeling:item_set", pk=item_set.pk)
    context = {"form": form, "problems": problems, "item_sets": selectors.item_set_list()}
    return render(
        request, "labeling/item_set_list.html", context, status=400 if form.errors else 200
    )


@require_GET
@permission_required(permissions.VIEW_LABELS)
def item_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item_set = get_object_or_404(ItemSet, pk=pk)
    page = Paginator(item_set.items.order_by("line"), 50).get_page(request.GET.get("page"))
    return render(request, "labeling/item_set_detail.html", {"item_set": item_set, "page": page})


@require_GET
@permission_required(permissions.VIEW_LABELS)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Item.objects.select_related("item_set"), pk=pk)
    return render(
        request, "labeling/item_detail.html", {"item": item, **selectors.item_labels(item=item)}
    )


@require_GET
@permission_required(permissions.VIEW_LABELS)
def critic_list(request: HttpRequest) -> HttpResponse:
    return render(request, "labeling/critic_list.html", {"critics": CriticConfig.objects.all()})


@permission_required(permissions.VIEW_LABELS)
@permission_required(permissions.MANAGE_CRITICS)
def critic_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    critic = get_object_or_404(CriticConfig, pk=pk) if pk else None
    form = CriticConfigForm(request.POST or None, instance=critic)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if critic is None:
                critic_services.critic_config_create(actor=request.user, **fields)
            else:
                critic_services.critic_config_update(
                    actor=request.user, critic=CriticConfig.objects.get(pk=pk), **fields
                )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, f"Saved critic {fields['name']}.")
            return redirect("labeling:critics")
    return render(request, "labeling/critic_form.html", {"form": form, "critic": critic})

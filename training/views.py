"""Pages for datasets and training: snapshots (make, read the card, download), training jobs
(start from a snapshot, watch the progress bar and loss chart, cancel, download the model)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling

from cai_audit import permissions
from cai_audit.errors import DomainError
from cai_audit.forms import form_add_errors
from cai_audit.permissions import permission_required
from cai_audit.work.views import (
    job_page,
    progress_context,
    progress_response,
    work_action_response,
)

from . import selectors
from .forms import SnapshotForm, TrainingJobForm
from .models import DatasetSnapshot, SnapshotExportJob, TrainingJob
from .services.exports import snapshot_export_queue, snapshot_export_retry
from .services.jobs import job_artifact, job_cancel, job_create
from .services.packages import ModelNotPacked, model_package_request
from .services.recovery import job_requeue
from .services.snapshots import FILES, snapshot_path


@require_GET
@permission_required(permissions.SEE_TRAINING, action="open datasets and training")
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/index.html",
        {
            "snapshots": DatasetSnapshot.objects.select_related("created_by")[:50],
            "exports": SnapshotExportJob.objects.filter(snapshot__isnull=True)[:20],
            "jobs": TrainingJob.objects.select_related("snapshot")[:50],
        },
    )


@permission_required(permissions.SEE_TRAINING, action="open datasets and training")
def snapshot_new(request: HttpRequest) -> HttpResponse:
    form = SnapshotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = snapshot_export_queue(actor=request.user, **form.service_arguments())
        except DomainError as error:
            form_add_errors(form, error)
        else:
            return redirect("training:export", pk=job.pk)
    return render(request, "training/snapshot_form.html", {"form": form})


@require_GET
@permission_required(permissions.SEE_TRAINING, action="open datasets and training")
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A queued export: the progress partial polls until the worker is done; then htmx goes to
    the snapshot, and a failed export shows why, with a Retry button."""
    job = get_object_or_404(SnapshotExportJob.objects.select_related("created_by"), pk=pk)
    return job_page(
        request, job=job, template="training/export_detail.html",
        progress_url=reverse("training:export", args=[pk]), aria="Labels exported",
        details="training/_export_details.html",
        made_url=reverse("training:snapshot", args=[job.snapshot_id]) if job.snapshot_id else None,
    )  # fmt: skip


@require_POST
@permission_required(permissions.EXPORT_DATASET, action="export datasets")
def export_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(SnapshotExportJob, pk=pk)
    return work_action_response(
        request, lambda: snapshot_export_retry(actor=request.user, job=job),
        done="Queued again.", level=messages.INFO, to=reverse("training:export", args=[pk]),
    )  # fmt: skip


@permission_required(permissions.SEE_TRAINING, action="open datasets and training")
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = get_object_or_404(DatasetSnapshot.objects.select_related("created_by"), pk=pk)
    method = "sft" if snapshot.label_kind == "critique" else "dpo"
    form = TrainingJobForm(request.POST or None, initial={"method": method})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = job_create(
                actor=request.user, snapshot=snapshot, method=data["method"],
                base_model=data["base_model"], name=data["name"],
                hyperparameters=form.hyperparameters(),
            )  # fmt: skip
        except DomainError as error:
            form_add_errors(form, error)
        else:
            return redirect("training:job", pk=job.pk)
    card = snapshot_path(snapshot, "README.md")
    return render(
        request,
        "training/snapshot_detail.html",
        {
            "snapshot": snapshot,
            "card": card.read_text() if card.exists() else "",
            "files": [snapshot.data_file, *FILES],
            "jobs": snapshot.jobs.all(),
            "form": form,
            "trainable": not snapshot.format.startswith("audit") and snapshot.format != "kto",
        },
    )


@require_GET
@permission_required(permissions.SEE_TRAINING, action="open datasets and training")
def snapshot_file(request: HttpRequest, pk: int, name: str) -> FileResponse:
    snapshot = get_object_or_404(DatasetSnapshot, pk=pk)
    try:
        path = snapshot_path(snapshot, name)
    except DomainError as error:
        raise Http404(str(error)) from None
    if not path.exists():
        raise Http404("The file is missing from the snapshot folder.")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"snapshot-{pk}-{name}")


@permission_required(permissions.SEE_TRAINING, action="open datasets and training")
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(TrainingJob.objects.select_related("snapshot", "created_by"), pk=pk)
    context = {"job": job, "chart": _loss_chart(job)}
    progress = {
        "progress": selectors.training_job_progress(job=job),
        "progress_url": reverse("training:job", args=[job.pk]),
        "aria": "Training steps done",
        "details": "training/_job_progress.html",
    }
    if request.htmx:
        return progress_response(request, **progress, context=context)
    return render(request, "training/job_detail.html", context | progress_context(**progress))


def _loss_chart(job: TrainingJob) -> dict:
    steps = [step for step, _ in job.losses]
    return {
        "type": "line",
        "labels": steps,
        "series": [{"label": "training loss", "values": [loss for _, loss in job.losses]}],
        "y": {"label": "loss"},
    }


@require_POST
@permission_required(permissions.RUN_TRAINING, action="cancel training jobs")
def job_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(TrainingJob, pk=pk)
    return work_action_response(
        request, lambda: job_cancel(actor=request.user, job=job),
        done="Cancel requested: the job stops at its next step.", level=messages.INFO,
        to=reverse("training:job", args=[pk]),
    )  # fmt: skip


@require_POST
@permission_required(permissions.RUN_TRAINING, action="requeue training jobs")
def job_requeue_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(TrainingJob, pk=pk)
    return work_action_response(
        request, lambda: job_requeue(actor=request.user, job=job),
        done="Queued again: it resumes from its last checkpoint.",
        to=reverse("training:job", args=[pk]),
    )  # fmt: skip


@require_GET
@permission_required(permissions.SEE_TRAINING, action="open datasets and training")
def job_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """A job's metrics.json or packed model; a model not packed yet is a 409 page saying so."""
    job = get_object_or_404(TrainingJob, pk=pk)
    try:
        path = job_artifact(job, name)
    except ModelNotPacked as error:
        return render(request, "409.html", {"message": error.message}, status=409)
    except DomainError as error:
        raise Http404(str(error)) from None
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"job-{pk}-{name}")


@require_GET
@permission_required(permissions.SEE_TRAINING, action="open datasets and training")
def job_package(request: HttpRequest, pk: int) -> HttpResponse:
    """The packing of a job's model: the progress partial (polled from the job page)."""
    job = get_object_or_404(TrainingJob.objects.select_related("package"), pk=pk)
    html = render_to_string("training/_package.html", {"job": job}, request=request)
    package = getattr(job, "package", None)
    if request.htmx and (package is None or package.is_finished):
        return HttpResponseStopPolling(html)
    return HttpResponse(html)


@require_POST
@permission_required(permissions.RUN_TRAINING, action="package trained models")
def job_package_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Pack a job's model (a job from before packing was queued) or pack it again (it failed)."""
    job = get_object_or_404(TrainingJob, pk=pk)
    return work_action_response(
        request, lambda: model_package_request(actor=request.user, job=job),
        done="Packing the trained model.", level=messages.INFO,
        to=reverse("training:job", args=[pk]),
    )  # fmt: skip

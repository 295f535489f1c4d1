"""Pages for datasets and training: snapshots (make, read the card, download), training jobs
(start from a snapshot, watch the progress bar and loss chart, cancel, download the model)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cai_audit import permissions
from cai_audit.errors import DomainError
from cai_audit.forms import form_add_errors
from cai_audit.permissions import permission_required

from .forms import SnapshotForm, TrainingJobForm
from .models import DatasetSnapshot, TrainingJob
from .services.jobs import job_artifact, job_cancel, job_create
from .services.recovery import job_requeue
from .services.snapshots import FILES, snapshot_create, snapshot_path


@require_GET
@permission_required(permissions.SEE_TRAINING, action="open datasets and training")
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/index.html",
        {
            "snapshots": DatasetSnapshot.objects.select_related("created_by")[:50],
            "jobs": TrainingJob.objects.select_related("snapshot")[:50],
        },
    )


@permission_required(permissions.SEE_TRAINING, action="open datasets and training")
def snapshot_new(request: HttpRequest) -> HttpResponse:
    form = SnapshotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            snapshot = snapshot_create(actor=request.user, **form.service_arguments())
        except DomainError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, f"Exported {snapshot.rows} rows ({snapshot.sha256[:12]}).")
            return redirect("training:snapshot", pk=snapshot.pk)
    return render(request, "training/snapshot_form.html", {"form": form})


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
    if request.htmx:
        return render(request, "training/job_detail.html#progress", context)
    return render(request, "training/job_detail.html", context)


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
    try:
        job_cancel(actor=request.user, job=job)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.info(request, "Cancel requested: the job stops at its next step.")
    return redirect("training:job", pk=pk)


@require_POST
@permission_required(permissions.RUN_TRAINING, action="requeue training jobs")
def job_requeue_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(TrainingJob, pk=pk)
    try:
        job_requeue(actor=request.user, job=job)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Queued again: it resumes from its last checkpoint.")
    return redirect("training:job", pk=pk)


@require_GET
@permission_required(permissions.SEE_TRAINING, action="open datasets and training")
def job_file(request: HttpRequest, pk: int, name: str) -> FileResponse:
    job = get_object_or_404(TrainingJob, pk=pk)
    try:
        path = job_artifact(job, name)
    except DomainError as error:
        raise Http404(str(error)) from None
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"job-{pk}-{name}")

"""Pages for human review: drawing samples, opening queues, the keyboard-first review workspace
and adjudication. The workspace swaps one item at a time with htmx; every action also works as a
plain form post."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cai_audit import permissions
from cai_audit.bounds import ID_MAX
from cai_audit.errors import DomainError
from cai_audit.forms import form_add_errors
from cai_audit.permissions import permission_check, permission_required
from cai_audit.work.views import job_page, work_action_response
from labeling import kinds
from labeling.filters import LabelFilter

from . import selectors
from .forms import AdjudicationForm, QueueOpenForm, ReviewForm, SampleDrawForm
from .models import Adjudication, Review, ReviewQueue, ReviewSample, ReviewSlot, SampleDrawJob
from .services import draws as draw_services
from .services import queues as queue_services
from .services import samples as sample_services


@require_GET
@login_required
def queue_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reviews/queue_list.html",
        {
            "queues": selectors.queues_for(request.user),
            "samples": ReviewSample.objects.filter(queue__isnull=True)[:20]
            if request.user.has_perm(permissions.LEAD_REVIEWS)
            else [],
            "draws": SampleDrawJob.objects.filter(sample__isnull=True)[:20]
            if request.user.has_perm(permissions.LEAD_REVIEWS)
            else [],
            "open_adjudications": Adjudication.objects.filter(status="open").count()
            if request.user.has_perm(permissions.LEAD_REVIEWS)
            else 0,
        },
    )


@permission_required(permissions.DRAW_SAMPLE)
def sample_create(request: HttpRequest) -> HttpResponse:
    form = SampleDrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        where = LabelFilter(
            runs=form.run_ids(),
            principle_codes=form.split("principle_codes"),
            domains=form.split("domains"),
            **form.external(),
        )
        for name in ("runs", "redteam_runs", "principle_codes", "domains", "judges", "sources"):
            del data[name]
        try:
            drawn = sample_services.sample_draw_requested(actor=request.user, where=where, **data)
        except DomainError as error:
            form_add_errors(form, error)
        else:
            if isinstance(drawn, SampleDrawJob):  # active sampling: a worker draws it
                return redirect("reviews:draw_job", pk=drawn.pk)
            messages.success(
                request, f"Drew {drawn.sample_size} of {drawn.population_size} labels."
            )
            return redirect("reviews:sample", pk=drawn.pk)
    return render(request, "reviews/sample_form.html", {"form": form})


@require_GET
@permission_required(permissions.SEE_SAMPLES, action="see samples")
def draw_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A queued active draw: the progress partial polls until the worker is done; then htmx goes
    to the sample it drew, and a failed draw shows why, with a Retry button."""
    job = get_object_or_404(SampleDrawJob.objects.select_related("sample", "created_by"), pk=pk)
    return job_page(
        request, job=job, template="reviews/draw_job.html",
        progress_url=reverse("reviews:draw_job", args=[pk]), aria="Texts embedded",
        details="reviews/_draw_job_details.html",
        made_url=reverse("reviews:sample", args=[job.sample_id]) if job.sample_id else None,
    )  # fmt: skip


@require_POST
@permission_required(permissions.DRAW_SAMPLE, action="draw review samples")
def draw_job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(SampleDrawJob, pk=pk)
    return work_action_response(
        request, lambda: draw_services.sample_draw_job_retry(actor=request.user, job=job),
        done="Queued again.", level=messages.INFO, to=reverse("reviews:draw_job", args=[pk]),
    )  # fmt: skip


@permission_required(permissions.SEE_SAMPLES, action="see samples")
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sample = get_object_or_404(ReviewSample, pk=pk)
    form = QueueOpenForm(request.POST or None, initial={"name": sample.name})
    if request.method == "POST":
        permission_check(request.user, permissions.LEAD_REVIEWS, action="open review queues")
        if form.is_valid():
            try:
                queue = queue_services.queue_open(
                    actor=request.user, sample=sample, **form.cleaned_data
                )
            except DomainError as error:
                form_add_errors(form, error)
            else:
                messages.success(request, f"Queue {queue.name} is open.")
                return redirect("reviews:queues")
    strata = sample.labels.values("stratum").annotate(n=Count("id")).order_by("stratum")
    return render(
        request,
        "reviews/sample_detail.html",
        {
            "sample": sample,
            "strata": strata,
            "form": form,
            "has_queue": hasattr(sample, "queue"),
            "estimates": selectors.sample_estimates(sample=sample),
        },
    )


def _workspace(request, queue: ReviewQueue, *, status: int = 200, error: str = "") -> HttpResponse:
    """Claim the reviewer's next item and render it (the partial alone for htmx)."""
    slot = queue_services.slot_next(reviewer=request.user, queue=queue)
    last = (
        Review.objects.filter(reviewer=request.user, slot__queue=queue)
        .order_by("-created_at")
        .first()
    )
    context = {
        "queue": queue,
        "queue_kind": kinds.get(queue.sample.label_kind),
        "slot": slot,
        "progress": selectors.queue_progress(queue=queue),
        "last_review": last,
        "error": error,
        "form": ReviewForm(),
    }
    if slot is not None:
        context.update(selectors.sampled_label_context(sampled_label=slot.sampled_label))
        context["claim"] = selectors.claim_view(queue=queue, slot=slot)
    template = "reviews/workspace.html" + ("#item" if request.htmx else "")
    return render(request, template, context, status=status)


def _queue_for_reviewer(request, pk: int) -> ReviewQueue:
    queue = get_object_or_404(ReviewQueue.objects.select_related("sample"), pk=pk)
    if not queue.reviewers.filter(pk=request.user.pk).exists():
        raise PermissionDenied("This queue is not assigned to you.")
    return queue


def _claimed_slot(request, queue: ReviewQueue) -> ReviewSlot:
    """The slot the form names, if this reviewer holds it: 404 otherwise (a malformed id too)."""
    slot_id = request.POST.get("slot", "")
    if not slot_id.isdecimal() or not 1 <= int(slot_id) <= ID_MAX:
        raise Http404("No such item in your queue.")
    return get_object_or_404(ReviewSlot, pk=int(slot_id), queue=queue, reviewer=request.user)


@require_GET
@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    return _workspace(request, _queue_for_reviewer(request, pk))


@require_POST
@login_required
def review_submit(request: HttpRequest, pk: int) -> HttpResponse:
    queue = _queue_for_reviewer(request, pk)
    form = ReviewForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            queue_services.review_submit(
                reviewer=request.user,
                slot=_claimed_slot(request, queue),
                seconds_spent=form.cleaned_data.get("seconds_spent") or 0.0,
                **form.verdict_fields(),
            )
        except DomainError as failure:
            error = failure.message
    else:
        error = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
    if not request.htmx and not error:
        return redirect("reviews:workspace", pk=pk)
    return _workspace(request, queue, status=400 if error else 200, error=error)


@require_POST
@login_required
def slot_skip(request: HttpRequest, pk: int) -> HttpResponse:
    queue = _queue_for_reviewer(request, pk)
    try:
        queue_services.slot_skip(reviewer=request.user, slot=_claimed_slot(request, queue))
    except DomainError as error:
        return _workspace(request, queue, status=400, error=error.message)
    return _workspace(request, queue) if request.htmx else redirect("reviews:workspace", pk=pk)


@require_POST
@login_required
def slot_flag(request: HttpRequest, pk: int) -> HttpResponse:
    queue = _queue_for_reviewer(request, pk)
    try:
        queue_services.principle_flag(
            reviewer=request.user,
            slot=_claimed_slot(request, queue),
            principle_code=request.POST.get("principle_code", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as error:
        return _workspace(request, queue, status=400, error=error.message)
    messages.success(request, "Flagged for the policy team.")
    return _workspace(request, queue) if request.htmx else redirect("reviews:workspace", pk=pk)


@require_POST
@login_required
def review_undo(request: HttpRequest, pk: int) -> HttpResponse:
    queue = _queue_for_reviewer(request, pk)
    try:
        queue_services.review_undo_last(reviewer=request.user, queue=queue)
    except DomainError as error:
        return _workspace(request, queue, status=400, error=error.message)
    return _workspace(request, queue) if request.htmx else redirect("reviews:workspace", pk=pk)


@permission_required(permissions.LEAD_REVIEWS)
def adjudication_list(request: HttpRequest) -> HttpResponse:
    items = selectors.adjudications_open(limit=50)
    return render(
        request, "reviews/adjudication_list.html", {"items": items, "form": AdjudicationForm()}
    )


@require_POST
@permission_required(permissions.LEAD_REVIEWS)
def adjudication_decide(request: HttpRequest, pk: int) -> HttpResponse:
    adjudication = get_object_or_404(Adjudication, pk=pk)
    form = AdjudicationForm(request.POST)
    if form.is_valid():
        try:
            queue_services.adjudication_decide(
                actor=request.user, adjudication=adjudication, **form.cleaned_data
            )
            messages.success(request, "Decided: it is gold now.")
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "Choose whether the AI is right and give a rationale.")
    return redirect(reverse("reviews:adjudication"))

"""Pages for labels made elsewhere: external judges, label sources (what each sent, from which
judge, how much per day) and the label stream (the latest AI labels of every kind as they arrive).

Every page shows AI labels or what made them, so each needs VIEW_LABELS; changing a judge or a
source also needs MANAGE_SOURCES.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cai_audit import permissions
from cai_audit.error_pages import bad_request
from cai_audit.forms import form_add_errors
from cai_audit.permissions import permission_required

from . import arrivals
from .forms import JudgeForm, LabelSourceForm, StreamFilterForm
from .models import Judge, LabelSource
from .services import sources as source_services


@require_GET
@permission_required(permissions.VIEW_LABELS)
def judge_list(request: HttpRequest) -> HttpResponse:
    judges = Judge.objects.all()
    return render(request, "labeling/judge_list.html", {"judges": judges})


@require_GET
@permission_required(permissions.VIEW_LABELS)
def judge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    judge = get_object_or_404(Judge, pk=pk)
    page = Paginator(arrivals.judge_runs(judge=judge), 25).get_page(request.GET.get("page"))
    context = {"judge": judge, "page": page, "sources": judge.sources.all()}
    return render(request, "labeling/judge_detail.html", context)


def _edit(request, *, form, instance, create, update, what: str, done_url):
    """Save a judge or source form through its service; the form again with errors otherwise."""
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            record = (
                create(actor=request.user, **fields)
                if instance is None
                else update(actor=request.user, **{what: instance}, **fields)
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, f"Saved {what} {record}.")
            return redirect(done_url(record))
    status = 400 if form.errors else 200
    context = {"form": form, "record": instance, "what": what}
    return render(request, "labeling/source_form.html", context, status=status)


@permission_required(permissions.VIEW_LABELS)
@permission_required(permissions.MANAGE_SOURCES, action="manage judges and sources")
def judge_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    judge = get_object_or_404(Judge, pk=pk) if pk else None
    form = JudgeForm(request.POST or None, instance=_copy(Judge, judge))
    return _edit(
        request, form=form, instance=judge, what="judge",
        create=source_services.judge_create, update=source_services.judge_update,
        done_url=lambda judge: reverse("labeling:judge", args=[judge.pk]),
    )  # fmt: skip


def _copy(model, record):
    """A fresh copy for the form to validate into, so a refused edit leaves the record as is."""
    return model.objects.get(pk=record.pk) if record is not None else None


@require_GET
@permission_required(permissions.VIEW_LABELS)
def source_list(request: HttpRequest) -> HttpResponse:
    sources = LabelSource.objects.select_related("judge")
    return render(request, "labeling/source_list.html", {"sources": sources})


@require_GET
@permission_required(permissions.VIEW_LABELS)
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(LabelSource.objects.select_related("judge"), pk=pk)
    found = arrivals.source_arrivals(source=source)
    stream_url = f"{reverse('labeling:stream')}?source={source.pk}"
    context = {
        "source": source,
        "arrivals": found,
        "stream_url": stream_url,
        "chart": arrivals.days_chart(found, stream_url=stream_url),
    }
    return render(request, "labeling/source_detail.html", context)


@permission_required(permissions.VIEW_LABELS)
@permission_required(permissions.MANAGE_SOURCES, action="manage judges and sources")
def source_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    source = get_object_or_404(LabelSource, pk=pk) if pk else None
    form = LabelSourceForm(request.POST or None, instance=_copy(LabelSource, source))
    return _edit(
        request, form=form, instance=source, what="source",
        create=source_services.source_create, update=source_services.source_update,
        done_url=lambda source: reverse("labeling:source", args=[source.pk]),
    )  # fmt: skip


@require_GET
@permission_required(permissions.VIEW_LABELS)
def stream(request: HttpRequest) -> HttpResponse:
    """The latest AI labels, newest first, filterable by kind, source and judge. The first page
    polls with htmx (only while the tab is visible) and swaps in the rows that arrived."""
    form = StreamFilterForm(request.GET)
    if not form.is_valid():
        problems = "; ".join(f"{key}: {errors[0]}" for key, errors in form.errors.items())
        return bad_request(request, f"Bad filter: {problems}")
    data = form.cleaned_data
    where = arrivals.StreamFilter(
        kind=data["kind"] or "",
        source=data["source"].pk if data["source"] else None,
        judge=data["judge"].pk if data["judge"] else None,
    )
    index = arrivals.stream_index(where=where)
    page = Paginator(index if index is not None else [], arrivals.STREAM_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": arrivals.stream_rows(page.object_list),
        "page_query": query.urlencode(),
        "not_applicable": index is None,
        "polling": page.number == 1,
    }
    template = "labeling/stream.html" + ("#rows" if request.htmx else "")
    return render(request, template, context)

"""Constitution pages: the list, creating one, its overview, settings, review mark and history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cai_audit import permissions
from cai_audit.audit import audit_events_for_scope
from cai_audit.forms import form_add_errors
from cai_audit.permissions import permission_required

from .. import selectors, services
from ..forms import ConstitutionForm, ConstitutionSettingsForm, DiffPickForm
from ..models import Constitution


@require_GET
@login_required
def constitution_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "constitutions/constitution_list.html",
        {"constitutions": selectors.constitution_list()},
    )


@permission_required(permissions.AUTHOR_CONSTITUTION)
def constitution_create(request: HttpRequest) -> HttpResponse:
    form = ConstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            constitution = services.constitution_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                review_cadence_days=form.cleaned_data["review_cadence_days"],
                owners=form.cleaned_data["owners"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, f"Created {constitution.name} with an empty draft v1.")
            return redirect("constitutions:detail", pk=constitution.pk)
    return render(request, "constitutions/constitution_form.html", {"form": form})


@require_GET
@login_required
def constitution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    constitution = get_object_or_404(Constitution.objects.prefetch_related("owners"), pk=pk)
    versions = list(selectors.version_list(constitution=constitution))
    published = [v for v in versions if v.is_published]
    return render(
        request,
        "constitutions/constitution_detail.html",
        {
            "constitution": constitution,
            "versions": versions,
            "diff_form": DiffPickForm(
                versions=versions,
                initial={
                    "old": published[1].pk if len(published) > 1 else None,
                    "new": published[0].pk if published else None,
                },
            ),
        },
    )


@permission_required(permissions.AUTHOR_CONSTITUTION)
def constitution_settings(request: HttpRequest, pk: int) -> HttpResponse:
    constitution = get_object_or_404(Constitution, pk=pk)
    form = ConstitutionSettingsForm(request.POST or None, instance=constitution)
    if request.method == "POST" and form.is_valid():
        services.constitution_update(
            actor=request.user,
            constitution=get_object_or_404(Constitution, pk=pk),
            description=form.cleaned_data["description"],
            review_cadence_days=form.cleaned_data["review_cadence_days"],
            owners=form.cleaned_data["owners"],
        )
        messages.success(request, "Settings saved.")
        return redirect("constitutions:detail", pk=pk)
    return render(
        request,
        "constitutions/constitution_form.html",
        {"form": form, "constitution": constitution},
    )


@require_POST
@permission_required(permissions.AUTHOR_CONSTITUTION)
def constitution_mark_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    constitution = get_object_or_404(Constitution, pk=pk)
    services.constitution_mark_reviewed(actor=request.user, constitution=constitution)
    messages.success(request, f"{constitution.name} marked reviewed.")
    return redirect("constitutions:detail", pk=pk)


@require_GET
@login_required
def constitution_history(request: HttpRequest, pk: int) -> HttpResponse:
    constitution = get_object_or_404(Constitution, pk=pk)
    events = audit_events_for_scope(scope=f"constitution:{constitution.pk}")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "constitutions/history.html",
        {"constitution": constitution, "page": page},
    )

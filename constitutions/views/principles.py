"""Principle forms of a draft: add, edit (showing an edit conflict side by side) and remove."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cai_audit import permissions
from cai_audit.errors import DomainError, EditConflict
from cai_audit.forms import form_add_errors
from cai_audit.permissions import permission_required

from .. import services
from ..diffs import diff_words
from ..forms import PrincipleForm
from ..models import ConstitutionVersion, Principle
from ..rules import PRINCIPLE_FIELDS


def _principle_form_response(request, form, *, version, principle=None, conflict=None, status=200):
    context = {"form": form, "version": version, "principle": principle, "conflict": conflict}
    template = "constitutions/principle_form.html"
    if request.htmx:
        template += "#principle-form"
    return render(request, template, context, status=status)


def _principle_saved_response(request, principle: Principle) -> HttpResponse:
    if request.htmx:
        return render(
            request,
            "constitutions/version_detail.html#principle-card",
            {"principle": principle, "version": principle.version, "can_author": True},
        )
    messages.success(request, f"Saved {principle}.")
    return redirect(
        reverse("constitutions:version", args=[principle.version_id]) + f"#p{principle.pk}"
    )


@permission_required(permissions.AUTHOR_CONSTITUTION)
def principle_create(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ConstitutionVersion.objects.select_related("constitution"), pk=pk)
    if version.is_published:
        messages.error(request, f"v{version.number} is published. Fork it to make changes.")
        return redirect("constitutions:version", pk=pk)
    form = PrincipleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            principle = services.principle_create(
                actor=request.user, version=version, **form.principle_fields()
            )
        except ValidationError as error:
            form_add_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("constitutions:version", args=[pk])
                return response
            return _principle_saved_response(request, principle)
    return _principle_form_response(
        request, form, version=version, status=400 if form.errors else 200
    )


@permission_required(permissions.AUTHOR_CONSTITUTION)
def principle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    principle = get_object_or_404(Principle.objects.select_related("version__constitution"), pk=pk)
    version = principle.version
    if version.is_published:
        messages.error(request, f"v{version.number} is published. Fork it to make changes.")
        return redirect("constitutions:version", pk=version.pk)
    if request.method != "POST":
        form = PrincipleForm(instance=principle, initial={"lock_version": principle.lock_version})
        return _principle_form_response(request, form, version=version, principle=principle)
    form = PrincipleForm(request.POST, instance=Principle(version=version))
    conflict = None
    if form.is_valid():
        try:
            saved = services.principle_update(
                actor=request.user,
                principle=principle,
                lock_version=form.cleaned_data["lock_version"] or 0,
                **form.principle_fields(),
            )
        except EditConflict as error:
            conflict = _conflict_view(error, form.principle_fields())
            # Re-base the form on their save: submitting again is a deliberate choice.
            data = request.POST.copy()
            data["lock_version"] = error.current.lock_version
            form = PrincipleForm(data, instance=Principle(version=version))
            form.is_valid()
            form.add_error(None, error.message)
            principle = error.current
        except ValidationError as error:
            form_add_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _principle_saved_response(request, saved)
    status = 409 if conflict else 400
    return _principle_form_response(
        request, form, version=version, principle=principle, conflict=conflict, status=status
    )


def _conflict_view(error: EditConflict, mine: dict) -> list[dict]:
    """For each field where the other person's save differs from what this editor typed."""
    rows = []
    for name in PRINCIPLE_FIELDS:
        theirs = getattr(error.current, name)
        if theirs != mine.get(name):
            row = {"field": name, "theirs": theirs, "mine": mine.get(name)}
            if isinstance(theirs, str) and isinstance(mine.get(name), str):
                row["ops"] = diff_words(mine[name], theirs)
            rows.append(row)
    return rows


@require_POST
@permission_required(permissions.AUTHOR_CONSTITUTION)
def principle_delete(request: HttpRequest, pk: int) -> HttpResponse:
    principle = get_object_or_404(Principle.objects.select_related("version"), pk=pk)
    try:
        services.principle_delete(actor=request.user, principle=principle)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Removed {principle}.")
    return redirect("constitutions:version", pk=principle.version_id)

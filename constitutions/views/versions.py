"""Version pages: import, the version page, fork, publish, discard and YAML export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cai_audit import permissions
from cai_audit.errors import DomainError, ImportProblems
from cai_audit.permissions import permission_required

from .. import selectors, services
from ..forms import ImportForm, PublishForm, ReleaseTagForm
from ..models import Constitution, ConstitutionVersion, Principle
from ..panels import principle_panel_entries, principle_panels_for


def _grouped(principles) -> list[tuple[Principle, list[Principle]]]:
    """Global principles in priority order, each followed by its locale addenda."""
    globals_ = [p for p in principles if not p.locale]
    addenda: dict[str, list[Principle]] = {}
    for p in principles:
        if p.locale:
            addenda.setdefault(p.code, []).append(p)
    return [(p, sorted(addenda.get(p.code, []), key=lambda a: a.locale)) for p in globals_]


@permission_required(permissions.AUTHOR_CONSTITUTION)
def version_import(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    constitution = get_object_or_404(Constitution, pk=pk) if pk else None
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.version_import_yaml(
                actor=request.user, text=form.content(), constitution=constitution
            )
        except ImportProblems as error:
            form.add_error(None, error.message)
            problems = error.problems
        except (DomainError, ValidationError) as error:
            form.add_error(None, getattr(error, "message", None) or str(error))
        else:
            messages.success(request, f"Imported as draft v{draft.number}.")
            return redirect("constitutions:version", pk=draft.pk)
    return render(
        request,
        "constitutions/import.html",
        {"form": form, "constitution": constitution, "problems": problems},
        status=400 if problems else 200,
    )


@require_GET
@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        version = selectors.version_detail(pk=pk)
    except ConstitutionVersion.DoesNotExist:
        raise Http404("No such version.") from None
    # Other apps' panels (reviewers' flags, for one) hang under the global principles.
    panels = principle_panels_for(version_id=version.pk, user=request.user)
    for principle in version.principles.all():
        principle.panels = (
            principle_panel_entries(panels, code=principle.code) if not principle.locale else []
        )
    return render(
        request,
        "constitutions/version_detail.html",
        {
            "version": version,
            "constitution": version.constitution,
            "groups": _grouped(list(version.principles.all())),
            "publish_form": PublishForm(initial={"changelog": version.changelog}),
            "tag_form": ReleaseTagForm(),
            "can_author": request.user.has_perm(permissions.AUTHOR_CONSTITUTION),
            "can_publish": request.user.has_perm(permissions.PUBLISH_CONSTITUTION),
        },
    )


@require_POST
@permission_required(permissions.AUTHOR_CONSTITUTION)
def version_fork(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ConstitutionVersion, pk=pk)
    draft = services.version_fork(actor=request.user, version=version)
    messages.success(request, f"Draft v{draft.number} started from v{version.number}.")
    return redirect("constitutions:version", pk=draft.pk)


@require_POST
@permission_required(permissions.PUBLISH_CONSTITUTION)
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ConstitutionVersion, pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a changelog note saying what changed before publishing.")
        return redirect("constitutions:version", pk=pk)
    try:
        services.version_publish(
            actor=request.user, version=version, changelog=form.cleaned_data["changelog"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Published v{version.number}. It can no longer change.")
    return redirect("constitutions:version", pk=pk)


@require_POST
@permission_required(permissions.AUTHOR_CONSTITUTION)
def version_discard(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ConstitutionVersion, pk=pk)
    try:
        services.version_discard(actor=request.user, version=version)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("constitutions:version", pk=pk)
    messages.success(request, f"Draft v{version.number} discarded.")
    return redirect("constitutions:detail", pk=version.constitution_id)


@require_GET
@login_required
def version_export(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ConstitutionVersion.objects.select_related("constitution"), pk=pk)
    response = HttpResponse(
        selectors.version_export_yaml(version=version), content_type="application/yaml"
    )
    filename = f"constitution-{version.constitution_id}-v{version.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""Pages for authoring constitutions. Thin: parse the request, call a service or selector, render.

Partials (django-template-partials) are rendered alone for htmx requests; every link and form
also works as a plain page without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cai_audit import permissions
from cai_audit.audit import audit_events_for_scope
from cai_audit.errors import DomainError, EditConflict, ImportProblems
from cai_audit.forms import form_add_errors
from cai_audit.permissions import permission_required

from . import selectors, services
from .diffs import diff_words
from .forms import (
    ConstitutionForm,
    ConstitutionSettingsForm,
    DiffPickForm,
    ImportForm,
    PrincipleForm,
    PublishForm,
    ReleaseTagForm,
)
from .models import Constitution, ConstitutionVersion, Principle, ReleaseTag
from .panels import principle_panel_entries, principle_panels_for
from .rules import PRINCIPLE_FIELDS


def _grouped(principles) -> list[tuple[Principle, list[Principle]]]:
    """Global principles in priority order, each followed by its locale addenda."""
    globals_ = [p for p in principles if not p.locale]
    addenda: dict[str, list[Principle]] = {}
    for p in principles:
        if p.locale:
            addenda.setdefault(p.code, []).append(p)
    return [(p, sorted(addenda.get(p.code, []), key=lambda a: a.locale)) for p in globals_]


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


@require_POST
@permission_required(permissions.PUBLISH_CONSTITUTION)
def release_tag_add(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ConstitutionVersion, pk=pk)
    form = ReleaseTagForm(request.POST)
    if form.is_valid():
        try:
            services.release_tag_add(actor=request.user, version=version, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            messages.error(request, getattr(error, "message", None) or "; ".join(error.messages))
        else:
            messages.success(request, f"Tagged v{version.number} with {form.cleaned_data['name']}.")
    else:
        messages.error(request, "Give the model release a name.")
    return redirect("constitutions:version", pk=pk)


@require_POST
@permission_required(permissions.PUBLISH_CONSTITUTION)
def release_tag_remove(request: HttpRequest, pk: int) -> HttpResponse:
    tag = get_object_or_404(ReleaseTag.objects.select_related("version"), pk=pk)
    services.release_tag_remove(actor=request.user, tag=tag)
    messages.success(request, f"Removed tag {tag.name}.")
    return redirect("constitutions:version", pk=tag.version_id)


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


@require_GET
@login_required
def version_diff(request: HttpRequest, old: int, new: int) -> HttpResponse:
    queryset = ConstitutionVersion.objects.select_related("constitution")
    old_version = get_object_or_404(queryset, pk=old)
    new_version = get_object_or_404(queryset, pk=new)
    diff = selectors.version_diff(old=old_version, new=new_version)
    return render(
        request,
        "constitutions/diff.html",
        {
            "old": old_version,
            "new": new_version,
            "constitution": new_version.constitution,
            "diff": diff,
            "counts": diff.counts(),
            "show_unchanged": request.GET.get("unchanged") == "1",
        },
    )


@require_GET
@login_required
def version_diff_pick(request: HttpRequest, pk: int) -> HttpResponse:
    """The version picker's target: turns ?old=&new= into the diff's shareable URL."""
    constitution = get_object_or_404(Constitution, pk=pk)
    form = DiffPickForm(request.GET, versions=constitution.versions.all())
    if not form.is_valid():
        messages.error(request, "Pick two versions of this constitution to compare.")
        return redirect("constitutions:detail", pk=pk)
    return redirect(
        "constitutions:diff", old=form.cleaned_data["old"], new=form.cleaned_data["new"]
    )

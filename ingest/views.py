"""Pages: import a file of labels made elsewhere; edit a source's classifier category table."""

import re

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cai_audit import permissions
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_required
from labeling.models import LabelSource

from .forms import CategoryFormSet, LabelImportForm
from .selectors import version_for_import
from .services.imports import labels_import

_SEPARATORS = re.compile(r"[\s,]+")


@permission_required(permissions.IMPORT_LABELS, action="import labels")
def label_import(request: HttpRequest) -> HttpResponse:
    form = LabelImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data, upload = form.cleaned_data, form.cleaned_data["file"]
        try:
            result = labels_import(
                actor=request.user, source=data["source"], kind=data["kind"], data=upload,
                filename=upload.name, fmt=data["format"] or None,
                version=version_for_import(number=data["version"]), judge=data["judge"],
                principle=data["principle"],
                mappings=[m for m in _SEPARATORS.split(data["mappings"]) if m],
            )  # fmt: skip
        except DomainError as error:  # ImportProblems lists each bad row
            form.add_error(None, error.message)
            problems = error.problems
        else:
            messages.success(request, f"Imported {result.count} {data['kind']} labels.")
            return redirect("labeling:item_set", pk=result.item_set.pk)
    status = 400 if form.errors else 200
    return render(
        request, "ingest/import.html", {"form": form, "problems": problems}, status=status
    )


@permission_required(permissions.MANAGE_SOURCES, action="edit category tables")
def category_map(request: HttpRequest, key: str) -> HttpResponse:
    source = get_object_or_404(LabelSource, key=key)
    formset = CategoryFormSet(request.POST or None, instance=source)
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, "Category table saved.")
        return redirect("ingest:categories", key=key)
    status = 400 if request.method == "POST" else 200
    context = {"source": source, "formset": formset}
    return render(request, "ingest/categories.html", context, status=status)

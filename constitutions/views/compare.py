"""Comparing two versions: the word diff page and the version picker that leads to it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from .. import selectors
from ..forms import DiffPickForm
from ..models import Constitution, ConstitutionVersion


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

"""Release tags on a published version: add and remove."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from cai_audit import permissions
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_required

from .. import services
from ..forms import ReleaseTagForm
from ..models import ConstitutionVersion, ReleaseTag


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

"""The notifications page: a user's own channels (add, edit, delete, test, choose events), the
team channels of their roles, and the delivery log of the channels they see. Another user's
channel is "not found"; a team channel they see but may not manage is "forbidden"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cai_audit import permissions
from cai_audit.forms import form_add_errors
from cai_audit.permissions import AUTHENTICATED, permission_required

from . import selectors
from .forms import ChannelForm, team_choices
from .models import Channel
from .services import channels as channel_services


def _channel_managed(request: HttpRequest, pk: int) -> Channel:
    try:
        channel = selectors.channel_visible(user=request.user, pk=pk)
    except Channel.DoesNotExist:
        raise Http404("No such channel.") from None
    if not channel_services.channel_manageable(user=request.user, channel=channel):
        raise PermissionDenied("Your role cannot manage this team's channels.")
    return channel


@require_GET
@permission_required(AUTHENTICATED)
def channel_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    deliveries = Paginator(selectors.delivery_list(user=user), 50).get_page(request.GET.get("page"))
    team_channels = list(selectors.channel_list_team(user=user))
    for channel in team_channels:
        channel.manageable = channel_services.channel_manageable(user=user, channel=channel)
    return render(
        request,
        "notifications/channel_list.html",
        {
            "own_channels": selectors.channel_list_own(user=user),
            "team_channels": team_channels,
            "deliveries": deliveries,
        },
    )


def _save(request: HttpRequest, form: ChannelForm, channel: Channel | None) -> bool:
    data = form.cleaned_data
    fields = {
        "name": data["name"],
        "kind": data["kind"],
        "target": data["target"],
        "events": data["events"],
        "active": data["active"],
    }
    try:
        if channel is None:
            channel_services.channel_create(actor=request.user, team=data.get("team"), **fields)
        else:
            channel_services.channel_update(actor=request.user, channel=channel, **fields)
    except ValidationError as error:
        form_add_errors(form, error)
        return False
    messages.success(request, f"Saved the channel {data['name']}.")
    return True


@permission_required(AUTHENTICATED)
def channel_create(request: HttpRequest) -> HttpResponse:
    may_team = permissions.user_holds(request.user, permissions.MANAGE_TEAM_CHANNELS)
    teams = team_choices(request.user) if may_team else None
    form = ChannelForm(request.POST or None, teams=teams, initial={"active": True})
    if request.method == "POST" and form.is_valid() and _save(request, form, None):
        return redirect("notifications:channels")
    return render(request, "notifications/channel_form.html", {"form": form, "channel": None})


@permission_required(AUTHENTICATED)
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    channel = _channel_managed(request, pk)
    initial = {
        "name": channel.name,
        "kind": channel.kind,
        "target": channel.target,
        "events": channel.events,
        "active": channel.active,
    }
    form = ChannelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(request, form, channel):
        return redirect("notifications:channels")
    return render(request, "notifications/channel_form.html", {"form": form, "channel": channel})


@require_POST
@permission_required(AUTHENTICATED)
def channel_delete(request: HttpRequest, pk: int) -> HttpResponse:
    channel = _channel_managed(request, pk)
    channel_services.channel_delete(actor=request.user, channel=channel)
    messages.success(request, f"Deleted the channel {channel.name}.")
    return redirect("notifications:channels")


@require_POST
@permission_required(AUTHENTICATED)
def channel_test(request: HttpRequest, pk: int) -> HttpResponse:
    channel = _channel_managed(request, pk)
    channel_services.channel_test_send(actor=request.user, channel=channel)
    messages.success(request, f"A test message to {channel.name} is on its way (see the log).")
    return redirect("notifications:channels")

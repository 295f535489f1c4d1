"""The channel form. It checks the shape of the input; the service checks the rest again (the
webhook policy, the team), so the page and the API refuse the same things."""

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from cai_audit.alerts import EVENTS

from .models import Channel
from .webhooks import WebhookRefused, webhook_url_check


class ChannelForm(forms.Form):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=Channel.Kind.choices)
    target = forms.CharField(
        max_length=500,
        label="Address or URL",
        help_text="An e-mail address, or a webhook URL (Slack-compatible: it receives "
        '{"text": ...}).',
    )
    events = forms.MultipleChoiceField(
        choices=EVENTS, widget=forms.CheckboxSelectMultiple, required=False
    )
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teams is not None:
            self.fields["team"] = forms.ModelChoiceField(
                queryset=teams,
                required=False,
                empty_label="Only me",
                help_text="A team channel is seen by everyone holding the role.",
            )

    def clean(self):
        data = super().clean()
        kind, target = data.get("kind"), (data.get("target") or "").strip()
        if kind == Channel.Kind.EMAIL and target:
            try:
                forms.EmailField().clean(target)
            except ValidationError:
                self.add_error("target", "Enter a valid e-mail address.")
        elif kind == Channel.Kind.WEBHOOK and target:
            try:
                webhook_url_check(target)
            except WebhookRefused as error:
                self.add_error("target", str(error))
        return data


def team_choices(user) -> "forms.models.QuerySet[Group]":
    """The roles a user may add team channels for."""
    return Group.objects.all() if user.is_superuser else user.groups.all()

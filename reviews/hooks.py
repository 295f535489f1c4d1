"""What the reviews app hangs on lower apps' pages through their registries, connected in
ReviewsConfig.ready()."""

from cai_audit.roles import VIEW_GOLD
from constitutions.panels import PrinciplePanel, principle_panel_register
from constitutions.services import AUTHOR

from .selectors import flags_by_principle

# Reviewers' notes on real labels are for the policy side, not for other reviewers.
PRINCIPLE_FLAGS = PrinciplePanel(
    name="reviews.principle_flags",
    template="reviews/principle_flags.html",
    entries=flags_by_principle,
    permissions=(AUTHOR, VIEW_GOLD),
)


def hooks_register() -> None:
    principle_panel_register(PRINCIPLE_FLAGS)

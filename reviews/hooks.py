"""What the reviews app hangs on lower apps' pages through their registries, connected in
ReviewsConfig.ready()."""

from cai_audit.permissions import SEE_PRINCIPLE_FLAGS
from constitutions.panels import PrinciplePanel, principle_panel_register

from .selectors import flags_by_principle

# Reviewers' notes on real labels are for the policy side, not for other reviewers.
PRINCIPLE_FLAGS = PrinciplePanel(
    name="reviews.principle_flags",
    template="reviews/principle_flags.html",
    entries=flags_by_principle,
    permissions=SEE_PRINCIPLE_FLAGS,
)


def hooks_register() -> None:
    principle_panel_register(PRINCIPLE_FLAGS)

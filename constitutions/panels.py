"""Principle panels: what higher apps show under each principle of a version's page, without
this app importing them. An app registers a panel from its AppConfig.ready() (reviews shows its
reviewers' "principle ambiguous" flags this way); the version page asks the registry.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from cai_audit.permissions import has_any_perm


@dataclass(frozen=True)
class PrinciplePanel:
    """One panel. `entries(version_id=...)` returns the entries by principle code (global
    principles only); `template` renders one principle's entries, given as `entries`. A user sees
    the panel if they hold any of `permissions` (an empty tuple: everyone who sees the page)."""

    name: str
    template: str
    entries: Callable[..., Mapping[str, Sequence]]
    permissions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PanelEntries:
    """A panel's entries for one principle, as the page template gets them."""

    template: str
    entries: Sequence


_panels: dict[str, PrinciplePanel] = {}


def principle_panel_register(panel: PrinciplePanel) -> None:
    """Add `panel`, or replace the one registered under its name (a reloaded app)."""
    _panels[panel.name] = panel


def principle_panel_unregister(name: str) -> None:
    _panels.pop(name, None)


def principle_panels_for(
    *, version_id: int, user: AbstractBaseUser | AnonymousUser
) -> list[tuple[PrinciplePanel, Mapping[str, Sequence]]]:
    """The panels `user` may see on this version's page, each with its entries by code, in the
    order they were registered. Panels the user may not see are not even queried."""
    return [
        (panel, panel.entries(version_id=version_id))
        for panel in _panels.values()
        if not panel.permissions or has_any_perm(user, panel.permissions)
    ]


def principle_panel_entries(
    panels: list[tuple[PrinciplePanel, Mapping[str, Sequence]]], *, code: str
) -> list[PanelEntries]:
    """One principle's non-empty panels, ready for the template."""
    return [
        PanelEntries(template=panel.template, entries=by_code[code])
        for panel, by_code in panels
        if by_code.get(code)
    ]

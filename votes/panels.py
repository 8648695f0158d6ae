"""The ledger's parts of the organisation's pages (core/panels.py; the settings list them): the
awards a unit, or a person with an account, received across campaigns and years."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from core.panels import Panel
from units.models import Unit

from .selectors import person_awards, unit_awards

SHOWN = 50  # the panel's rows; the unit's ledger page has them all


def unit_awards_panel(request: HttpRequest, unit: Unit) -> Panel | None:
    """For the managers of the unit's authority only (the page itself is open to every user)."""
    if not request.user.has_perm("units.manage_unit", unit):
        return None
    return Panel(
        "votes/_awards_panel.html",
        {
            "title": _("Khen thưởng đã nhận"),
            "entries": list(unit_awards(unit)[:SHOWN]),
            "more_url": reverse("votes:ledger_unit", args=[unit.pk]),
            "show_person": True,
        },
    )


def person_awards_panel(request: HttpRequest, person: User) -> Panel:
    """The person's page is their authority's managers' already (units.people_views)."""
    return Panel(
        "votes/_awards_panel.html",
        {
            "title": _("Khen thưởng đã nhận"),
            "entries": list(person_awards(person)[:SHOWN]),
            "more_url": "",
            "show_person": False,
        },
    )

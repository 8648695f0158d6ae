"""The `council` sheet: username, role (chair, vice_chair, member, secretary), the campaign's
council seats, set through `campaigns.services.council_seats_set`. An account must exist (or be
made by this file's `review_scores`) and belong to a unit under the campaign's authority, or to
no unit; the council keeps one chair and one secretary. Seats the sheet does not name stay."""

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CouncilSeat
from campaigns.selectors import council_candidates
from campaigns.services import ONE_HOLDER_ROLES, council_seats_set
from core.workbooks import Row, text_cell
from units.models import Unit

from .sheets import Known, duplicate


@dataclass(frozen=True)
class CouncilRow:
    row: Row
    username: str
    role: str


def check(rows: list[Row], known: Known, reviewers: set[str]) -> list[CouncilRow]:
    seen: dict[str, int] = {}
    checked = []
    for row in rows:
        username = text_cell(row, "username", 150, required=True)
        duplicate(row, "username", username, seen)
        if username not in known.users and username not in reviewers:
            raise row.error(
                "username",
                _("không có tài khoản “%(name)s” (tạo tài khoản trước khi xếp vào Hội đồng).")
                % {"name": username},
            )
        role = text_cell(row, "role", 16, required=True)
        if role not in CouncilSeat.Role.values:
            raise row.error(
                "role",
                _("“%(value)s” phải là một trong: %(roles)s.")
                % {"value": role, "roles": ", ".join(CouncilSeat.Role.values)},
            )
        checked.append(CouncilRow(row, username, role))
    return checked


def check_council(
    rows: list[CouncilRow], known: Known, existing: Campaign | None, authority: Unit | None
) -> None:
    """Every account under the campaign's authority (or of no unit); after the file, one chair
    and one secretary at most (seats the file does not name keep their roles)."""
    if authority is not None:
        named = [r.username for r in rows if r.username in known.users]
        inside = set(
            council_candidates(Campaign(authority=authority))
            .filter(username__in=named)
            .values_list("username", flat=True)
        )
        for entry in rows:
            if entry.username in known.users and entry.username not in inside:
                raise entry.row.error(
                    "username",
                    _("“%(name)s” không thuộc đơn vị nào của %(authority)s.")
                    % {"name": entry.username, "authority": authority.name},
                )
    roles = _standing(existing)
    for entry in rows:
        roles.pop(entry.username, None)
    for entry in rows:
        holder = next((u for u, r in roles.items() if r == entry.role), None)
        if entry.role in ONE_HOLDER_ROLES and holder is not None:
            raise entry.row.error(
                "role",
                _("Hội đồng đã có %(role)s (%(name)s).")
                % {"role": CouncilSeat.Role(entry.role).label, "name": holder},
            )
        roles[entry.username] = entry.role


def _standing(existing: Campaign | None) -> dict[str, str]:
    if existing is None:
        return {}
    seats = existing.council_seats.filter(valid_to=None)
    return dict(seats.values_list("user__username", "role"))


def apply(rows: list[CouncilRow], *, actor: User | None, campaign: Campaign) -> Counter[str]:
    if not rows:
        return Counter()
    users = {u.username: u for u in User.objects.filter(username__in=[r.username for r in rows])}
    seats = [(users[entry.username], entry.role) for entry in rows]
    return council_seats_set(actor=actor, campaign=campaign, seats=seats)

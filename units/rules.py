"""Object-level rules about units, reused by every later layer.

`user_unit_ids` is cached on the user object for the request, so checking many objects costs one
query for the memberships, plus one tree query per unit checked against a subtree.
"""

import rules
from django.contrib.auth.models import AnonymousUser, User

from .models import Unit
from .roles import Role


def user_unit_ids(user: User | AnonymousUser) -> frozenset[int]:
    """Ids of the units the user is a member of (any membership role)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_unit_ids", None)
    if cached is None:
        cached = frozenset(user.memberships.values_list("unit_id", flat=True))  # type: ignore[union-attr]
        user._unit_ids = cached  # type: ignore[union-attr,attr-defined]
    return cached


def user_head_unit_ids(user: User | AnonymousUser) -> frozenset[int]:
    if not user.is_authenticated:
        return frozenset()
    return frozenset(
        user.memberships.filter(role="head").values_list("unit_id", flat=True)  # type: ignore[union-attr]
    )


def is_unit_or_below(unit: Unit | int, ancestor_ids: frozenset[int] | set[int]) -> bool:
    """True when `unit` is one of `ancestor_ids` or lies anywhere under one of them."""
    if not ancestor_ids:
        return False
    unit_id = unit if isinstance(unit, int) else unit.pk
    if unit_id in ancestor_ids:
        return True
    return bool(set(unit_ancestor_ids(unit_id)) & set(ancestor_ids))


def unit_ancestor_ids(unit_id: int) -> list[int]:
    """The ids from the root down to `unit_id` itself, in one tree query."""
    path = Unit.objects.with_tree_fields().filter(pk=unit_id).values_list("tree_path", flat=True)
    return list(path.first() or [])


@rules.predicate
def is_member_of_unit(user: User, unit: Unit) -> bool:
    return unit.pk in user_unit_ids(user)


@rules.predicate
def is_in_users_subtree(user: User, unit: Unit) -> bool:
    """The unit is one of the user's units or one under it."""
    return is_unit_or_below(unit, user_unit_ids(user))


is_campaign_manager = rules.is_group_member(Role.CAMPAIGN_MANAGER)
is_unit_head = rules.is_group_member(Role.UNIT_HEAD)
is_unit_staff = rules.is_group_member(Role.UNIT_STAFF)
is_council_member = rules.is_group_member(Role.COUNCIL_MEMBER)

rules.add_perm("units.view_unit_tree", rules.is_authenticated)
rules.add_perm("units.manage_unit", is_campaign_manager & is_in_users_subtree)

"""Object-level rules about units, reused by every later layer.

`user_unit_ids` and `user_role_names` are cached on the user object for the request, so checking
many objects costs one query for the memberships, one for the roles, plus one tree query per unit
checked against a subtree.
"""

from collections.abc import Iterable

import rules
from django.contrib.auth.models import AnonymousUser, User

from .models import Unit
from .roles import Role
from .selectors import people_within, unit_subtree


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


def user_role_names(user: User | AnonymousUser) -> frozenset[str]:
    """The names of the user's roles (its groups, units.roles.Role), read once per request and
    kept on the user object: the navigation, the rules and the selectors share the one query."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))  # type: ignore[union-attr]
        user._role_names = cached  # type: ignore[union-attr,attr-defined]
    return cached


def has_role(role: str) -> rules.Predicate:
    """A predicate: the user has `role` (read through `user_role_names`)."""

    @rules.predicate(f"has_role:{role}")
    def fn(user: User | AnonymousUser) -> bool:
        return role in user_role_names(user)

    return fn


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


is_campaign_manager = has_role(Role.CAMPAIGN_MANAGER)
is_unit_head = has_role(Role.UNIT_HEAD)
is_unit_staff = has_role(Role.UNIT_STAFF)
is_council_member = has_role(Role.COUNCIL_MEMBER)


def authority_root_ids(user: User | AnonymousUser) -> frozenset[int] | None:
    """The roots of the subtrees the user may manage: None (no limit) for a superuser; for a
    campaign manager, their authority units (the units they are a member of); none otherwise."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return None
    return user_unit_ids(user) if is_campaign_manager(user) else frozenset()


def managed_unit_ids(user: User | AnonymousUser, unit_ids: Iterable[int]) -> frozenset[int]:
    """Those of `unit_ids` that lie in a subtree the user may manage, in one query: the one rule
    behind `units.manage_unit`, for many units at once."""
    ids, roots = frozenset(unit_ids), authority_root_ids(user)
    if roots is None or not ids:
        return ids
    inside = unit_subtree(roots).filter(pk__in=ids)
    return frozenset(inside.values_list("pk", flat=True))


def managed_person_ids(user: User | AnonymousUser, person_ids: Iterable[int]) -> frozenset[int]:
    """Those of `person_ids` whose accounts the user may manage (`units.selectors.people_within`):
    none for anyone but a campaign manager or a superuser."""
    ids = frozenset(person_ids)
    if not ids or not user.is_authenticated:
        return frozenset()
    roots = authority_root_ids(user)
    if roots is not None and not roots:
        return frozenset()
    people = people_within(roots, actor=user).filter(pk__in=ids)  # type: ignore[arg-type]
    return frozenset(people.values_list("pk", flat=True))


@rules.predicate
def may_manage_unit(user: User, unit: Unit) -> bool:
    return unit.pk in managed_unit_ids(user, [unit.pk])


rules.add_perm("units.view_unit_tree", rules.is_authenticated)
rules.add_perm("units.manage_unit", may_manage_unit)

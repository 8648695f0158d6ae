"""Reads of the organisation. Querysets come with what their pages need already joined."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import Block, Unit


def unit_subtree(unit_ids: Iterable[int]) -> QuerySet[Unit]:
    """The given units and every unit below them, in one tree query."""
    ids = list(unit_ids)
    if not ids:
        return Unit.objects.none()
    condition = Q()
    for unit_id in ids:
        condition |= Q(tree_path__contains=unit_id)
    return Unit.objects.with_tree_fields().filter(condition)


def unit_list(*, search: str = "", root_ids: Iterable[int] | None = None) -> QuerySet[Unit]:
    units = Unit.objects.with_tree_fields().select_related("kind", "successor")
    if root_ids is not None:
        units = units.filter(pk__in=unit_subtree(root_ids).values("pk"))
    if search.strip():
        units = units.search(search)
    return units


def block_list() -> QuerySet[Block]:
    return Block.objects.select_related("head_unit").prefetch_related("members")

"""Writes to the organisation. Every change goes through one of these functions."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .kinds import STANDARD_KINDS
from .models import Block, BlockMember, Membership, Unit, UnitKind
from .rules import unit_ancestor_ids


def _check_parent(unit: Unit, parent: Unit | None) -> None:
    if parent is None or unit.pk is None:
        return
    if unit.pk in unit_ancestor_ids(parent.pk):
        raise ValidationError(
            _("Không thể đặt “%(parent)s” làm đơn vị cấp trên của “%(unit)s”: tạo vòng lặp."),
            params={"parent": parent.name, "unit": unit.name},
            code="cycle",
        )


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: UnitKind,
    parent: Unit | None = None,
    valid_from: datetime.date | None = None,
    email: str = "",
) -> Unit:
    unit = Unit(
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        email=email,
    )
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, **fields: object) -> Unit:
    """Change a unit's own fields or its parent; refuses a parent that would make a cycle."""
    if "parent" in fields:
        _check_parent(unit, fields["parent"])  # type: ignore[arg-type]
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_merge(*, units: Iterable[Unit], into: Unit, on: datetime.date) -> Unit:
    """Merge `units` into `into` from day `on`: the old units stay, closed and linked to it.

    Their active children move under `into`; their enrolments and history stay where they were.
    """
    for old in units:
        if old.pk == into.pk:
            continue
        old.valid_to = on - datetime.timedelta(days=1)
        old.successor = into
        old.full_clean()
        old.save(update_fields=["valid_to", "successor"])
        Unit.objects.filter(parent=old, valid_to__isnull=True).exclude(pk=into.pk).update(
            parent=into
        )
    return into


@transaction.atomic
def unit_rename(*, unit: Unit, name: str, code: str, on: datetime.date) -> Unit:
    """A rename makes a successor unit under the same parent; the old one keeps its history."""
    successor = unit_create(
        code=code, name=name, kind=unit.kind, parent=unit.parent, valid_from=on, email=unit.email
    )
    unit_merge(units=[unit], into=successor, on=on)
    Membership.objects.filter(unit=unit).update(unit=successor)
    return successor


@transaction.atomic
def block_create(
    *,
    code: str,
    name: str,
    members: Iterable[Unit] = (),
    head_unit: Unit | None = None,
    year: int | None = None,
) -> Block:
    block = Block(code=code.strip(), name=name.strip(), head_unit=head_unit, year=year)
    block.full_clean()
    block.save()
    block_set_members(block=block, members=members)
    return block


@transaction.atomic
def block_set_members(*, block: Block, members: Iterable[Unit]) -> Block:
    member_ids = {unit.pk for unit in members}
    if block.head_unit_id and block.head_unit_id not in member_ids:
        member_ids.add(block.head_unit_id)
    BlockMember.objects.filter(block=block).exclude(unit_id__in=member_ids).delete()
    existing = set(BlockMember.objects.filter(block=block).values_list("unit_id", flat=True))
    BlockMember.objects.bulk_create(
        [BlockMember(block=block, unit_id=unit_id) for unit_id in member_ids - existing]
    )
    return block


@transaction.atomic
def membership_set(*, user: object, unit: Unit, role: str) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        user=user, unit=unit, defaults={"role": role}
    )
    return membership


def unit_kinds_ensure() -> dict[str, UnitKind]:
    """The standard kinds, created where missing; returns every kind by code."""
    for code, name, order in STANDARD_KINDS:
        UnitKind.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    return {kind.code: kind for kind in UnitKind.objects.all()}

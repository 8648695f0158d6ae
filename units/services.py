"""Writes to the organisation. Every change goes through one of these functions."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .kinds import STANDARD_KINDS
from .models import Block, BlockMember, Membership, Unit, UnitKind
from .rules import unit_ancestor_ids
from .text import fold


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


@dataclass(frozen=True)
class AdminUnitsSummary:
    provinces: int
    communes: int
    created: int
    updated: int
    unchanged: int


ADMIN_KINDS = {
    "tỉnh": "tinh",
    "thành phố trung ương": "tinh",
    "xã": "xa",
    "phường": "phuong",
    "đặc khu": "dac_khu",
    "huyện": "huyen",
    "quận": "huyen",
    "thị xã": "huyen",
    "thành phố": "huyen",
    "thị trấn": "thi_tran",
}
ADMIN_VALID_FROM = datetime.date(2025, 7, 1)  # the 2025 structure took effect


def _admin_rows() -> list[tuple[str, str, str, str | None]]:
    """(code, name, kind code, parent code) of the official units, provinces first."""
    import vietnam_provinces as vp

    rows: list[tuple[str, str, str, str | None]] = [
        (f"{int(p.code):02d}", p.name, ADMIN_KINDS[p.division_type.value], None)
        for p in vp.Province.iter_all()
    ]
    rows += [
        (
            f"{int(w.code):05d}",
            w.name,
            ADMIN_KINDS[w.division_type.value],
            f"{int(w.province_code):02d}",
        )
        for w in vp.Ward.iter_all()
    ]
    return rows


@transaction.atomic
def admin_units_load() -> AdminUnitsSummary:
    """Load or refresh Việt Nam's official units (package vietnam-provinces). Idempotent: a unit
    already there is updated only where its name, kind or parent changed."""
    kinds = unit_kinds_ensure()
    rows = _admin_rows()
    existing = {u.code: u for u in Unit.objects.filter(code__in=[r[0] for r in rows])}
    created = [
        Unit(
            code=code,
            name=name,
            search_name=fold(name),
            kind=kinds[kind],
            valid_from=ADMIN_VALID_FROM,
        )
        for code, name, kind, _parent in rows
        if code not in existing
    ]
    Unit.objects.bulk_create(created, batch_size=1000)
    by_code = {**existing, **{u.code: u for u in created}}
    changed: dict[str, Unit] = {}
    for code, name, kind, parent in rows:
        unit = by_code[code]
        parent_id = by_code[parent].pk if parent else None
        wanted = (name, kinds[kind].pk, parent_id)
        if (unit.name, unit.kind_id, unit.parent_id) != wanted:
            unit.name, unit.kind_id, unit.parent_id = wanted
            unit.search_name = fold(name)
            changed[code] = unit
    Unit.objects.bulk_update(
        list(changed.values()), ["name", "search_name", "kind", "parent"], batch_size=1000
    )
    new_codes = {u.code for u in created}
    return AdminUnitsSummary(
        provinces=sum(1 for r in rows if r[3] is None),
        communes=sum(1 for r in rows if r[3] is not None),
        created=len(created),
        updated=len(set(changed) - new_codes),
        unchanged=len(rows) - len(created) - len(set(changed) - new_codes),
    )


@transaction.atomic
def block_update(
    *,
    block: Block,
    name: str,
    members: Iterable[Unit],
    head_unit: Unit | None = None,
    year: int | None = None,
) -> Block:
    block.name, block.head_unit, block.year = name.strip(), head_unit, year
    block.full_clean()
    block.save()
    return block_set_members(block=block, members=members)

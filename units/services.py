"""Writes to the organisation. Every change goes through one of these functions."""

import datetime
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from core import signing
from core.history import history_line, history_record
from core.text import fold
from core.uploads import check_upload
from core.workbooks import Row, WorkbookError, WorkbookFile

from .document_templates import check_template
from .exchange import UnitLine, UnitsSheet, check_authority, check_hierarchy, read_units
from .kinds import KIND_LEVELS, STANDARD_KINDS, KindIndex
from .models import (
    AuthorityCertificate,
    AuthorityEvent,
    AuthorityProfile,
    AuthoritySigner,
    Block,
    BlockMember,
    DocumentTemplate,
    IssuedDocument,
    Membership,
    PersonEvent,
    PublishedFile,
    Unit,
    UnitEvent,
    UnitKind,
    UnitLink,
)
from .rules import managed_unit_ids, unit_ancestor_ids


def require_authority(actor: User | None, units: Iterable[Unit | None]) -> None:
    """A manager acts only inside their authority's subtree (`units.manage_unit`); a None unit
    stands for "no parent", a root that only a superuser may make. `actor` None is the system."""
    if actor is None or actor.is_superuser:
        return
    units = list(units)
    if any(unit is None for unit in units):
        raise ValidationError(
            _("Chỉ quản trị hệ thống được đặt đơn vị không có cấp trên."), code="outside_authority"
        )
    allowed = managed_unit_ids(actor, [unit.pk for unit in units])  # type: ignore[union-attr]
    outside = [unit.name for unit in units if unit.pk not in allowed]  # type: ignore[union-attr]
    if outside:
        raise ValidationError(
            _("Nằm ngoài phạm vi bạn phụ trách: %(names)s."),
            params={"names": ", ".join(sorted(set(outside)))},
            code="outside_authority",
        )


def _check_parent(unit: Unit, parent: Unit | None) -> None:
    if parent is None or unit.pk is None:
        return
    if unit.pk in unit_ancestor_ids(parent.pk):
        raise ValidationError(
            _("Không thể đặt “%(parent)s” làm đơn vị cấp trên của “%(unit)s”: tạo vòng lặp."),
            params={"parent": parent.name, "unit": unit.name},
            code="cycle",
        )


def _check_kind_in_force(kind: UnitKind, valid_from: datetime.date | None) -> None:
    if kind.valid_until is not None and valid_from is not None and valid_from > kind.valid_until:
        raise ValidationError(
            _("Loại đơn vị “%(kind)s” chỉ tồn tại đến ngày %(day)s."),
            params={"kind": kind.name, "day": kind.valid_until.strftime("%d/%m/%Y")},
            code="kind_abolished",
        )


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    kind: UnitKind,
    parent: Unit | None = None,
    valid_from: datetime.date | None = None,
    email: str = "",
) -> Unit:
    """A new unit under `parent`, which must lie in the actor's authority. A unit cannot begin
    after its kind was abolished (no thị trấn from 1 July 2025)."""
    require_authority(actor, [parent])
    return _unit_create(
        actor, code=code, name=name, kind=kind, parent=parent, valid_from=valid_from, email=email
    )


def _unit_create(
    actor: User | None,
    *,
    code: str,
    name: str,
    kind: UnitKind,
    parent: Unit | None,
    valid_from: datetime.date | None,
    email: str,
) -> Unit:
    _check_kind_in_force(kind, valid_from)
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
    _record(actor, unit, UnitEvent.Action.CREATE, new=f"{unit.code} — {unit.name}")
    return unit


def _record(
    actor: User | None,
    unit: Unit,
    action: str,
    *,
    subject: str = "",
    old: object = "",
    new: object = "",
) -> UnitEvent:
    return history_record(
        UnitEvent,
        unit=unit,
        actor=actor,
        action=action,
        subject=subject,
        old=_shown(old),
        new=_shown(new),
    )


def _shown(value: object) -> str:
    """A value as the history shows it: a unit by its code, a day as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, Unit):
        return value.code
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@transaction.atomic
def unit_update(*, actor: User | None, unit: Unit, **fields: object) -> Unit:
    """Change a unit's own fields or its parent; refuses a parent that would make a cycle. The
    unit and a new parent must lie in the actor's authority."""
    require_authority(actor, [unit])
    if "parent" in fields:
        parent = fields["parent"]
        if (parent.pk if parent else None) != unit.parent_id:  # type: ignore[attr-defined]
            require_authority(actor, [parent])  # type: ignore[list-item]
        _check_parent(unit, parent)  # type: ignore[arg-type]
    before = {name: getattr(unit, name) for name in fields}
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    for name, value in fields.items():
        if before[name] != value:
            _record(actor, unit, UnitEvent.Action.UPDATE, subject=name, old=before[name], new=value)
    return unit


def _link(
    actor: User | None,
    old: Unit,
    new: Unit,
    *,
    kind: str,
    on: datetime.date,
    legal_basis: str = "",
) -> UnitLink:
    """Record (or correct) the link `old` → `new`; the same call twice changes nothing."""
    wanted = {"kind": kind, "effective_on": on, "legal_basis": legal_basis}
    link = UnitLink.objects.filter(predecessor=old, successor=new).first()
    if link is not None and all(getattr(link, name) == value for name, value in wanted.items()):
        return link
    link, _created = UnitLink.objects.update_or_create(
        predecessor=old, successor=new, defaults=wanted
    )
    label = f"{UnitLink.Kind(kind).label} {_shown(on)} {legal_basis}".strip()
    _record(actor, old, UnitEvent.Action.LINK, subject=new.code, new=label)
    return link


def _close(actor: User | None, unit: Unit, *, on: datetime.date, successor: Unit) -> None:
    """`unit` ends the day before `on`; the first successor recorded stays its main one."""
    old_end = unit.valid_to
    unit.valid_to = on - datetime.timedelta(days=1)
    unit.successor = unit.successor or successor
    unit.full_clean()
    unit.save(update_fields=["valid_to", "successor"])
    if old_end != unit.valid_to:
        _record(
            actor,
            unit,
            UnitEvent.Action.CLOSE,
            subject=successor.code,
            old=old_end,
            new=unit.valid_to,
        )


@transaction.atomic
def unit_merge(
    *,
    actor: User | None,
    units: Iterable[Unit],
    into: Unit,
    on: datetime.date,
    legal_basis: str = "",
    kind: str = UnitLink.Kind.MERGER,
) -> Unit:
    """Merge `units` into `into` from day `on`: the old units stay, closed and linked to it.

    A unit merged into itself (the one whose name the merged unit keeps) goes on, unclosed.
    Their active children move under `into`; their enrolments and history stay where they were.
    Every unit involved must lie in the actor's authority.
    """
    units = list(units)
    require_authority(actor, [*units, into])
    return _merge(actor, units, into=into, on=on, legal_basis=legal_basis, kind=kind)


def _merge(
    actor: User | None,
    units: list[Unit],
    *,
    into: Unit,
    on: datetime.date,
    legal_basis: str,
    kind: str,
) -> Unit:
    for old in units:
        if old.pk == into.pk:
            continue
        _close(actor, old, on=on, successor=into)
        _link(actor, old, into, kind=kind, on=on, legal_basis=legal_basis)
        children = Unit.objects.filter(parent=old, valid_to__isnull=True).exclude(pk=into.pk)
        UnitEvent.objects.bulk_create(
            history_line(
                UnitEvent,
                unit=child,
                actor=actor,
                action=UnitEvent.Action.UPDATE,
                subject="parent",
                old=old.code,
                new=into.code,
            )
            for child in children
        )
        children.update(parent=into)
    return into


@transaction.atomic
def unit_split(
    *,
    actor: User | None,
    unit: Unit,
    into: Iterable[Unit],
    on: datetime.date,
    legal_basis: str = "",
) -> Unit:
    """Split `unit` into the units `into` from day `on`: it stays, closed, linked to each."""
    into = list(into)
    require_authority(actor, [unit, *into])
    if not into or any(new.pk == unit.pk for new in into):
        raise ValidationError(_("Chọn các đơn vị mới được chia tách ra."), code="split_into")
    _close(actor, unit, on=on, successor=into[0])
    for new in into:
        _link(actor, unit, new, kind=UnitLink.Kind.SPLIT, on=on, legal_basis=legal_basis)
    return unit


@transaction.atomic
def unit_rename(
    *,
    actor: User | None,
    unit: Unit,
    name: str,
    code: str,
    on: datetime.date,
    legal_basis: str = "",
) -> Unit:
    """A rename makes a successor unit under the same parent; the old one keeps its history.
    The unit must lie in the actor's authority; its parent does not move, so a manager may rename
    their own authority unit."""
    require_authority(actor, [unit])
    # Checked above: the successor stays under the unit's parent, where the unit already was.
    successor = _unit_create(
        actor,
        code=code,
        name=name,
        kind=unit.kind,
        parent=unit.parent,
        valid_from=on,
        email=unit.email,
    )
    _merge(actor, [unit], into=successor, on=on, legal_basis=legal_basis, kind=UnitLink.Kind.RENAME)
    _memberships_move(actor, unit, successor)
    return successor


def _memberships_move(actor: User | None, unit: Unit, successor: Unit) -> None:
    """The people of a renamed unit go on in the same roles in its successor, each move a line
    of their history."""
    moved = Membership.objects.filter(unit=unit).select_related("user")
    PersonEvent.objects.bulk_create(
        history_line(
            PersonEvent,
            person=membership.user,
            unit=successor,
            actor=actor,
            action=PersonEvent.Action.ROLE_MOVE,
            subject=successor.code,
            old=unit.code,
            new=successor.code,
        )
        for membership in moved
    )
    moved.update(unit=successor)


@transaction.atomic
def block_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    members: Iterable[Unit] = (),
    head_unit: Unit | None = None,
    year: int | None = None,
) -> Block:
    """A block of units (and its head unit) that all lie in the actor's authority."""
    members = list(members)
    require_authority(actor, [*members, *([head_unit] if head_unit else [])])
    block = Block(code=code.strip(), name=name.strip(), head_unit=head_unit, year=year)
    block.full_clean()
    block.save()
    block_set_members(actor=None, block=block, members=members)  # the members were checked above
    return block


def _require_block_authority(actor: User | None, block: Block) -> None:
    """A stored block is the actor's only when its head unit and members are all theirs."""
    if actor is not None and block.pk is not None:
        require_authority(actor, [*block.members.all(), *filter(None, [block.head_unit])])


@transaction.atomic
def block_set_members(*, actor: User | None, block: Block, members: Iterable[Unit]) -> Block:
    """The block's members become `members` (plus its head unit); all in the actor's authority."""
    members = list(members)
    _require_block_authority(actor, block)
    require_authority(actor, members)
    member_ids = {unit.pk for unit in members}
    if block.head_unit_id and block.head_unit_id not in member_ids:
        member_ids.add(block.head_unit_id)
    BlockMember.objects.filter(block=block).exclude(unit_id__in=member_ids).delete()
    existing = set(BlockMember.objects.filter(block=block).values_list("unit_id", flat=True))
    BlockMember.objects.bulk_create(
        [BlockMember(block=block, unit_id=unit_id) for unit_id in member_ids - existing]
    )
    return block


def unit_kinds_ensure() -> dict[str, UnitKind]:
    """The standard kinds, created where missing, with their level and last day (the 2025
    reform; a standard kind still without its level gets it); returns every kind by code."""
    for code, name, order in STANDARD_KINDS:
        level, until = KIND_LEVELS.get(code, ("organisation", None))
        kind, _created = UnitKind.objects.get_or_create(
            code=code,
            defaults={"name": name, "order": order, "level": level, "valid_until": until},
        )
        if kind.level == "organisation" and level != "organisation":
            UnitKind.objects.filter(pk=kind.pk).update(level=level, valid_until=until)
    return {kind.code: kind for kind in UnitKind.objects.all()}


@dataclass(frozen=True)
class AdminUnitsSummary:
    provinces: int
    communes: int
    created: int
    updated: int
    unchanged: int
    districts: int = 0
    history_units: int = 0  # units that ended in the 2025 reform, recorded with their links
    history_links: int = 0


@transaction.atomic
def reform_history_record(*, actor: User | None) -> tuple[int, int]:
    """Record the 2025 reform of the demo's area (`units.reform`): the units that ended on
    30 June 2025, closed, each linked to what went on. Needs today's units (the official load or
    the demo); without them it records nothing. Idempotent; returns (units made, links made)."""
    from . import reform

    new_codes = {new for _old, new, _basis in reform.MERGERS}
    current = {u.code: u for u in Unit.objects.filter(code__in=new_codes)}
    if set(current) != new_codes:
        return 0, 0
    kinds = unit_kinds_ensure()
    units = {u.code: u for u in Unit.objects.filter(code__in=[r[0] for r in reform.ENDED_UNITS])}
    made = 0
    for code, name, kind, parent in reform.ENDED_UNITS:
        if code not in units:
            units[code] = unit_create(
                actor=actor, code=code, name=name, kind=kinds[kind], parent=units.get(parent or "")
            )
            made += 1
    last_day = reform.REFORM_ON - datetime.timedelta(days=1)
    district = units[reform.HUYEN_KIEN_LUONG]
    if district.valid_to != last_day:  # the district level ended, with no successor
        unit_update(actor=actor, unit=district, valid_to=last_day)
    linked = set(UnitLink.objects.values_list("predecessor__code", "successor__code"))
    links = 0
    for olds, new, basis in reform.MERGERS:
        todo = [units[code] for code in olds if (code, new) not in linked]
        if todo:
            unit_merge(
                actor=actor, units=todo, into=current[new], on=reform.REFORM_ON, legal_basis=basis
            )
            links += len(todo)
    return made, links


# The package's division types -> our kind codes. Districts and townships appear only in releases
# of vietnam-provinces that carry the structure before 1 July 2025.
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
    "thành phố trực thuộc tỉnh": "huyen",
    "thị trấn": "thi_tran",
}
ADMIN_VALID_FROM = datetime.date(2025, 7, 1)  # the 2025 structure took effect
DISTRICTS_ABOLISHED = datetime.date(2025, 6, 30)  # the last day of the district level


class AdminRow(NamedTuple):
    code: str
    name: str
    kind: str
    parent: str | None
    level: str  # "province", "district" or "commune"


def _admin_kind(division: Any) -> str:
    return ADMIN_KINDS[division.division_type.value]


def _admin_rows() -> list[AdminRow]:
    """The official units with zero-padded codes, each parent before its children.

    A commune's parent is its district when the package names one, else its province.
    """
    import vietnam_provinces as vp

    rows = [
        AdminRow(f"{int(p.code):02d}", p.name, _admin_kind(p), None, "province")
        for p in vp.Province.iter_all()
    ]
    districts = getattr(vp, "District", None)  # not in the 2025 releases: never invented
    if districts is not None:
        rows += [
            AdminRow(
                f"{int(d.code):03d}",
                d.name,
                _admin_kind(d),
                f"{int(d.province_code):02d}",
                "district",
            )
            for d in districts.iter_all()
        ]
    for ward in vp.Ward.iter_all():
        district = getattr(ward, "district_code", None)
        parent = f"{int(district):03d}" if district else f"{int(ward.province_code):02d}"
        rows.append(
            AdminRow(f"{int(ward.code):05d}", ward.name, _admin_kind(ward), parent, "commune")
        )
    return rows


def _admin_unit(row: AdminRow, kind: UnitKind, parent: Unit | None) -> Unit:
    """A new official unit. Districts ended on 30 June 2025; when they began is not in the data."""
    dates = (None, DISTRICTS_ABOLISHED) if row.level == "district" else (ADMIN_VALID_FROM, None)
    return Unit(
        code=row.code,
        name=row.name,
        search_name=fold(row.name),
        kind=kind,
        parent=parent,
        valid_from=dates[0],
        valid_to=dates[1],
    )


@transaction.atomic
def admin_units_load() -> AdminUnitsSummary:
    """Load or refresh Việt Nam's official units (package vietnam-provinces), then record the
    2025 mergers of the demo's area (`reform_history_record`). Idempotent: a unit already there
    is updated only where its name, kind or parent changed; its dates are kept."""
    kinds = unit_kinds_ensure()
    rows = _admin_rows()
    by_code = {u.code: u for u in Unit.objects.filter(code__in=[r.code for r in rows])}
    stored = set(by_code)
    for level in ("province", "district", "commune"):  # parents first: one write per new unit
        wave = [
            _admin_unit(row, kinds[row.kind], by_code[row.parent] if row.parent else None)
            for row in rows
            if row.level == level and row.code not in stored
        ]
        Unit.objects.bulk_create(wave, batch_size=1000)
        by_code.update({unit.code: unit for unit in wave})
    changed: list[Unit] = []
    for row in (row for row in rows if row.code in stored):
        unit = by_code[row.code]
        wanted = (row.name, kinds[row.kind].pk, by_code[row.parent].pk if row.parent else None)
        if (unit.name, unit.kind_id, unit.parent_id) != wanted:
            unit.name, unit.kind_id, unit.parent_id = wanted
            unit.search_name = fold(row.name)
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["name", "search_name", "kind", "parent"], batch_size=1000)
    made = [unit for code, unit in by_code.items() if code not in stored]
    UnitEvent.objects.bulk_create(  # one line per unit the official load made or changed
        [
            history_line(
                UnitEvent, unit=unit, actor=None, action=UnitEvent.Action.CREATE, new=unit.code
            )
            for unit in made
        ]
        + [
            history_line(
                UnitEvent, unit=unit, actor=None, action=UnitEvent.Action.UPDATE, subject=unit.code
            )
            for unit in changed
        ],
        batch_size=1000,
    )
    history_units, history_links = reform_history_record(actor=None)  # the official load
    levels = Counter(row.level for row in rows)
    return AdminUnitsSummary(
        provinces=levels["province"],
        districts=levels["district"],
        communes=levels["commune"],
        created=len(rows) - len(stored),
        updated=len(changed),
        unchanged=len(stored) - len(changed),
        history_units=history_units,
        history_links=history_links,
    )


@transaction.atomic
def block_update(
    *,
    actor: User | None,
    block: Block,
    name: str,
    members: Iterable[Unit],
    head_unit: Unit | None = None,
    year: int | None = None,
) -> Block:
    """Change a block of the actor's authority; its new head unit and members must be theirs."""
    members = list(members)
    _require_block_authority(actor, Block.objects.get(pk=block.pk))
    require_authority(actor, [*members, *([head_unit] if head_unit else [])])
    block.name, block.head_unit, block.year = name.strip(), head_unit, year
    block.full_clean()
    block.save()
    return block_set_members(actor=None, block=block, members=members)  # checked above


@dataclass(frozen=True)
class BlockLine:
    """One row of a `blocks` sheet: a member unit of the block `code` called `name`."""

    row: Row
    code: str
    name: str
    unit: Unit


@transaction.atomic
def blocks_upsert(
    *, actor: User | None, lines: list[BlockLine]
) -> tuple[dict[str, Block], Counter[str]]:
    """The bulk variant of `block_create` and `block_update`: each block of `lines` gets the name
    and the members the rows give it (its head unit stays a member). The actor's authority is
    checked once for every row: a member outside it, or a stored block reaching outside it,
    refuses them all, naming sheet and row (`actor` None is the system). Returns the blocks by
    code and what changed, counted as "created:block", "updated:block", "created:block_member",
    "deleted:block_member"."""
    by_code: dict[str, list[BlockLine]] = {}
    for line in lines:
        by_code.setdefault(line.code, []).append(line)
    stored = {b.code: b for b in Block.objects.filter(code__in=by_code).select_related("head_unit")}
    if actor is not None:
        _require_blocks_authority(actor, by_code, stored)
    counts: Counter[str] = Counter()
    blocks = {
        code: _block_upsert(stored.get(code), block_lines, counts)
        for code, block_lines in by_code.items()
    }
    return blocks, counts


def _require_blocks_authority(
    actor: User, by_code: dict[str, list[BlockLine]], stored: dict[str, Block]
) -> None:
    """One query for the stored members, one for the subtree: the first row of a stored block
    that reaches outside the actor's authority, else the first member outside it, is refused."""
    current = BlockMember.objects.filter(block__in=stored.values()).values_list(
        "block__code", "unit_id"
    )
    reach: dict[str, set[int]] = {}
    for code, unit_id in current:
        reach.setdefault(code, set()).add(unit_id)
    for code, block in stored.items():
        if block.head_unit_id:
            reach.setdefault(code, set()).add(block.head_unit_id)
    wanted = {line.unit.pk for block_lines in by_code.values() for line in block_lines}
    allowed = managed_unit_ids(actor, wanted.union(*reach.values()))
    for code, block_lines in by_code.items():
        if reach.get(code, set()) - allowed:
            reason = _("khối “%(code)s” có đơn vị nằm ngoài phạm vi bạn phụ trách.")
            raise block_lines[0].row.error("code", reason % {"code": code})
        for line in block_lines:
            if line.unit.pk not in allowed:
                reason = _("đơn vị “%(code)s” nằm ngoài phạm vi bạn phụ trách.")
                raise line.row.error("unit_code", reason % {"code": line.unit.code})


def _block_upsert(block: Block | None, lines: list[BlockLine], counts: Counter[str]) -> Block:
    """Through the single-block services as the system (`actor=None`): the actor's authority was
    checked once for every row by `blocks_upsert`. A rename keeps the head unit and the year."""
    code, name, members = lines[0].code, lines[0].name, [line.unit for line in lines]
    if block is None:
        counts["created:block"] += 1
        counts["created:block_member"] += len(members)
        return block_create(actor=None, code=code, name=name, members=members)
    wanted = {unit.pk for unit in members} | ({block.head_unit_id} - {None})
    current = set(BlockMember.objects.filter(block=block).values_list("unit_id", flat=True))
    if block.name != name:
        counts["updated:block"] += 1
        block_update(
            actor=None,
            block=block,
            name=name,
            members=members,
            head_unit=block.head_unit,
            year=block.year,
        )
    elif wanted != current:
        block_set_members(actor=None, block=block, members=members)
    counts["created:block_member"] += len(wanted - current)
    counts["deleted:block_member"] += len(current - wanted)
    return block


@dataclass
class UnitsImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kinds_created: int = 0


def units_import(*, actor: User | None, workbook_file: WorkbookFile) -> UnitsImportSummary:
    """Create or update the units of a workbook's `units` sheet, keyed by code; all or nothing.

    Raises WorkbookError naming the sheet, row, column and reason of the first bad cell, or of
    the first row reaching outside the actor's authority (`actor` None is the system). Only
    units whose cells differ from what is stored are written: the same file twice changes nothing.
    A date column the sheet lacks leaves the stored dates alone.
    """
    sheet = read_units(workbook_file)  # reading the file stays outside the transaction
    with transaction.atomic():
        check_hierarchy(sheet.lines)
        return units_upsert(actor=actor, lines=sheet.lines, date_columns=sheet.date_columns)


@transaction.atomic
def units_upsert(
    *,
    actor: User | None,
    lines: list[UnitLine],
    date_columns: frozenset[str] = frozenset(),
) -> UnitsImportSummary:
    """The bulk variant of `unit_create` and `unit_update` for checked rows of a `units` sheet
    (their hierarchy already checked): the actor's authority is checked once for every row, and
    the first row reaching outside it refuses them all, naming sheet and row (`actor` None is the
    system). Only rows that differ from what is stored are written; `date_columns` are the
    validity dates the rows carry (the others stay as stored). Unknown kinds are created."""
    if actor is not None:
        check_authority(lines, actor)
    return _units_write(actor, UnitsSheet(lines, date_columns))


def _units_write(actor: User | None, sheet: UnitsSheet) -> UnitsImportSummary:
    index, made = KindIndex(), Counter[str]()  # kinds are data: an unknown one is created
    kinds = {line.code: index.find_or_create(line.kind, made) for line in sheet.lines}
    codes = [line.code for line in sheet.lines]
    stored = {
        u.code: u for u in Unit.objects.filter(code__in=codes).select_related("parent", "kind")
    }
    parent_codes = {line.parent_code for line in sheet.lines if line.parent_code}
    parent_ids = dict(Unit.objects.filter(code__in=parent_codes).values_list("code", "pk"))
    new = [line for line in sheet.lines if line.code not in stored]
    events = [
        history_line(
            UnitEvent,
            unit=unit,
            actor=actor,
            action=UnitEvent.Action.CREATE,
            new=f"{unit.code} — {unit.name}",
        )
        for unit in _units_create(new, kinds, parent_ids)
    ]
    changed = []
    for line in (line for line in sheet.lines if line.code in stored):
        unit = stored[line.code]
        before = _unit_state(unit, sheet.date_columns)
        wanted: dict[str, object] = {
            "name": line.name,
            "kind_id": kinds[line.code].pk,
            "parent_id": parent_ids.get(line.parent_code),
            **{column: getattr(line, column) for column in sheet.date_columns},
        }
        if _unit_set(unit, line, wanted):
            changed.append(unit)
            after = {**before, "name": line.name, "kind": kinds[line.code].code}
            after |= {"parent": line.parent_code}
            after |= {column: getattr(line, column) for column in sheet.date_columns}
            events += [
                history_line(
                    UnitEvent,
                    unit=unit,
                    actor=actor,
                    action=UnitEvent.Action.UPDATE,
                    subject=name,
                    old=_shown(before[name]),
                    new=_shown(value),
                )
                for name, value in after.items()
                if before[name] != value
            ]
    UnitEvent.objects.bulk_create(events, batch_size=1000)
    Unit.objects.bulk_update(
        changed,
        ["name", "search_name", "kind", "parent", "valid_from", "valid_to"],
        batch_size=1000,
    )
    return UnitsImportSummary(
        created=len(new),
        updated=len(changed),
        unchanged=len(sheet.lines) - len(new) - len(changed),
        kinds_created=made["unit_kind"],
    )


def _unit_state(unit: Unit, date_columns: frozenset[str]) -> dict[str, object]:
    """What an import may change of a stored unit, as its history shows it."""
    parent = unit.parent.code if unit.parent else ""
    state: dict[str, object] = {"name": unit.name, "kind": unit.kind.code, "parent": parent}
    return state | {column: getattr(unit, column) for column in date_columns}


def _units_create(
    lines: list[UnitLine], kinds: dict[str, UnitKind], parent_ids: dict[str, int]
) -> list[Unit]:
    """Insert the new units parents first, so each row is written once, with its parent;
    `parent_ids` gains their ids. The hierarchy is already checked: every wave makes progress."""
    waiting, created = lines, []
    while waiting:
        ready = [line for line in waiting if not line.parent_code or line.parent_code in parent_ids]
        if not ready:  # only if a parent vanished since the check: never loop forever
            raise WorkbookError(_("Cấp trên của một số đơn vị vừa bị xóa; hãy nhập lại."))
        wave = [
            Unit(
                code=line.code,
                name=line.name,
                search_name=fold(line.name),
                kind=kinds[line.code],
                parent_id=parent_ids.get(line.parent_code),
                valid_from=line.valid_from,
                valid_to=line.valid_to,
            )
            for line in ready
        ]
        Unit.objects.bulk_create(wave, batch_size=1000)
        parent_ids.update({unit.code: unit.pk for unit in wave})
        created += wave
        waiting = [line for line in waiting if line.code not in parent_ids]
    return created


def _unit_set(unit: Unit, line: UnitLine, wanted: dict[str, object]) -> bool:
    """Give `unit` the wanted values; False when it already had them all."""
    if all(getattr(unit, name) == value for name, value in wanted.items()):
        return False
    for name, value in wanted.items():
        setattr(unit, name, value)
    unit.search_name = fold(unit.name)
    if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
        reason = _("ngày hết hiệu lực trước ngày bắt đầu hiệu lực (%(day)s).")
        raise line.row.error("valid_to", reason % {"day": unit.valid_from.isoformat()})
    return True


# The authority's profile and document register.


def require_authority_manager(actor: User | None, authority: Unit) -> None:
    """Only a manager of this authority (`units.manage_unit`: the unit or one above it) changes
    its profile or takes a number from its register; `actor` None is the system."""
    if actor is not None and not actor.has_perm("units.manage_unit", authority):
        raise PermissionDenied(
            _("Bạn không phụ trách cơ quan “%(name)s”.") % {"name": authority.name}
        )


def authority_event_record(
    *,
    authority: Unit,
    actor: User | None,
    action: str,
    subject: str = "",
    old: object = "",
    new: object = "",
) -> AuthorityEvent:
    return history_record(
        AuthorityEvent,
        authority=authority,
        actor=actor,
        action=action,
        subject=subject,
        old=old,
        new=new,
    )


def _signers_text(profile: AuthorityProfile) -> str:
    return "; ".join(str(signer) for signer in profile.signers.select_related("profile"))


@transaction.atomic
def authority_profile_update(
    *,
    actor: User | None,
    authority: Unit,
    parent_body: str = "",
    issuing_body: str,
    name: str,
    code: str,
    place_name: str,
    head_title: str = "Chủ tịch",
    head_name: str = "",
    deputy_names: Iterable[str] = (),
) -> AuthorityProfile:
    """Creates or changes the authority's profile and its signers (the head, then the deputies
    in the order given); one history line per field that changed."""
    require_authority_manager(actor, authority)
    profile = AuthorityProfile.objects.select_for_update().filter(
        authority=authority
    ).first() or AuthorityProfile(authority=authority)
    wanted = {
        "parent_body": parent_body.strip(),
        "issuing_body": "\n".join(
            line.strip() for line in issuing_body.splitlines() if line.strip()
        ),
        "name": name.strip(),
        "code": code.strip(),
        "place_name": place_name.strip(),
        "head_title": head_title.strip(),
    }
    changes = [(f, getattr(profile, f), v) for f, v in wanted.items() if getattr(profile, f) != v]
    old_signers = _signers_text(profile) if profile.pk else ""
    for field, value in wanted.items():
        setattr(profile, field, value)
    profile.full_clean(exclude=["authority"])
    profile.save()
    rows = [(AuthoritySigner.Post.HEAD, head_name.strip())]
    rows += [(AuthoritySigner.Post.DEPUTY, n.strip()) for n in deputy_names]
    profile.signers.all().delete()
    AuthoritySigner.objects.bulk_create(
        [
            AuthoritySigner(profile=profile, post=post, full_name=full_name, order=order)
            for order, (post, full_name) in enumerate(rows)
            if full_name
        ]
    )
    for field, old, new in changes:
        label = str(AuthorityProfile._meta.get_field(field).verbose_name)  # type: ignore[union-attr]
        authority_event_record(
            authority=authority,
            actor=actor,
            action="profile_update",
            subject=label,
            old=old,
            new=new,
        )
    new_signers = _signers_text(profile)
    if new_signers != old_signers:
        authority_event_record(
            authority=authority,
            actor=actor,
            action="signers_set",
            subject=_("Người ký"),
            old=old_signers,
            new=new_signers,
        )
    return profile


@transaction.atomic
def document_number_allocate(
    *,
    actor: User | None,
    authority: Unit,
    doc_type: str,
    issued_on: datetime.date,
    subject: str,
    signer: AuthoritySigner | None = None,
    issuer_code: str = "",
) -> IssuedDocument:
    """The next number of the authority's register for the year of `issued_on` and `doc_type`
    ("Số: 12/QĐ-UBND"): numbers run from 1 and are never given twice, even to a withdrawn
    document's successor. A body of the authority that signs with its own short name (its
    council: `issuer_code` "HĐTĐKT") takes its number from the same register ("3/BB-HĐTĐKT").
    The profile row is locked first, so two issues at once wait for each other instead of
    sharing a number."""
    require_authority_manager(actor, authority)
    profile = AuthorityProfile.objects.select_for_update().filter(authority=authority).first()
    if profile is None:
        raise ValidationError(
            _(
                "Cơ quan “%(name)s” chưa có hồ sơ (tên cơ quan ban hành, chữ viết tắt, địa danh): "
                "nhập ở trang Hồ sơ cơ quan trước khi cấp số văn bản."
            )
            % {"name": authority.name},
            code="no_profile",
        )
    if signer is not None and signer.profile_id != profile.pk:
        raise ValidationError(_("Người ký không thuộc cơ quan này."), code="signer")
    year = issued_on.year
    last = IssuedDocument.objects.filter(
        authority=authority, year=year, doc_type=doc_type
    ).aggregate(last=Max("number"))["last"]
    number = (last or 0) + 1
    document = IssuedDocument(
        authority=authority,
        year=year,
        doc_type=doc_type,
        number=number,
        reference=profile.reference(number, doc_type, issuer_code),
        issued_on=issued_on,
        subject=subject.strip(),
        signer_name=signer.full_name if signer else "",
        signer_title=signer.title if signer else "",
        issued_by=actor,
    )
    document.full_clean()
    document.save()
    authority_event_record(
        authority=authority,
        actor=actor,
        action="document_number_allocate",
        subject=document.subject,
        new=document.reference,
    )
    return document


@transaction.atomic
def issued_document_withdraw(
    *, actor: User | None, document: IssuedDocument, on: datetime.date, reason: str
) -> IssuedDocument:
    """Marks a document withdrawn; its line and number stay in the register, never given again."""
    require_authority_manager(actor, document.authority)
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if document.withdrawn_on is not None:
        raise ValidationError(_("Văn bản này đã được thu hồi."), code="withdrawn")
    if not reason.strip():
        raise ValidationError(_("Ghi lý do thu hồi."), code="reason")
    document.withdrawn_on, document.withdraw_reason = on, reason.strip()
    document.save(update_fields=["withdrawn_on", "withdraw_reason"])
    authority_event_record(
        authority=document.authority,
        actor=actor,
        action="document_withdraw",
        subject=document.reference,
        new=document.withdraw_reason,
    )
    return document


# The authority's own document templates.


@transaction.atomic
def document_template_upload(
    *, actor: User | None, authority: Unit, kind: str, upload: UploadedFile
) -> DocumentTemplate:
    """Puts the authority's own Word template of `kind` in force, once checked: a .docx by its
    content, every field the built-in template of that kind uses, no field the portal does not
    fill (refused naming them). The earlier uploads stay, no longer in force; a history line."""
    require_authority_manager(actor, authority)
    if kind not in DocumentTemplate.Kind.values:
        raise ValidationError(_("Loại văn bản không hợp lệ."), code="kind")
    sha256, mime = check_upload(upload, {"docx": "docx"})
    upload.seek(0)
    check_template(kind, upload.read())
    upload.seek(0)
    DocumentTemplate.objects.filter(authority=authority, kind=kind, active=True).update(
        active=False
    )
    template = DocumentTemplate(
        authority=authority,
        kind=kind,
        file=upload,
        original_name=(upload.name or "")[:255],
        content_type=mime,
        size=upload.size or 0,
        sha256=sha256,
        uploaded_by=actor,
    )
    template.save()
    authority_event_record(
        authority=authority,
        actor=actor,
        action="template_upload",
        subject=_("Mẫu %(kind)s") % {"kind": template.get_kind_display()},
        new=f"{template.original_name} (SHA-256 {sha256[:12]}…)",
    )
    return template


@transaction.atomic
def document_template_reset(*, actor: User | None, authority: Unit, kind: str) -> int:
    """Back to the built-in template of `kind`: the authority's uploads stay, none in force."""
    require_authority_manager(actor, authority)
    own = DocumentTemplate.objects.filter(authority=authority, kind=kind, active=True)
    names = ", ".join(t.original_name for t in own)
    count = own.update(active=False)
    if count:
        authority_event_record(
            authority=authority,
            actor=actor,
            action="template_reset",
            subject=_("Mẫu %(kind)s") % {"kind": DocumentTemplate.Kind(kind).label},
            old=names,
            new=_("mẫu có sẵn của cổng"),
        )
    return count


@transaction.atomic
def authority_certificate_set(
    *, actor: User | None, authority: Unit, pkcs12: bytes, password: str
) -> AuthorityCertificate:
    """Keeps the authority's PKCS#12 certificate, which signs its issued PDFs from then on. The
    file is opened with the password first: a wrong password or a file without a key is refused
    and nothing changes. The password is kept sealed (core/signing.py), never in clear."""
    require_authority_manager(actor, authority)
    facts = signing.pkcs12_read(pkcs12, password)
    certificate = AuthorityCertificate.objects.filter(authority=authority).first()
    old = certificate.subject if certificate else ""
    certificate = certificate or AuthorityCertificate(authority=authority)
    certificate.pkcs12 = pkcs12
    certificate.sealed_password = signing.password_seal(password)
    certificate.subject, certificate.issuer = facts.subject, facts.issuer
    certificate.fingerprint = facts.fingerprint
    certificate.valid_from, certificate.valid_to = facts.valid_from, facts.valid_to
    certificate.uploaded_by = actor
    certificate.save()
    authority_event_record(
        authority=authority,
        actor=actor,
        action="certificate_set",
        subject=_("Chứng thư số"),
        old=old,
        new=f"{facts.subject} (SHA-256 {facts.fingerprint[:16]}…)",
    )
    return certificate


VERIFY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread from paper
VERIFY_CODE_LENGTH = 10


def verify_url(code: str) -> str:
    return f"{settings.PORTAL_URL.rstrip('/')}{reverse('verify', args=[code])}"


@dataclass(frozen=True)
class SignedPdf:
    """A PDF stamped with its verification mark and signed, not yet recorded (`file_record`)."""

    code: str
    content: bytes
    certificate_subject: str
    certificate_fingerprint: str


def file_sign(
    *, actor: User | None, authority: Unit, pdf: bytes, title: str, reference: str = ""
) -> SignedPdf:
    """Stamps an issued document's PDF with its verification mark (QR code and short address) and
    signs it (PAdES) with the authority's certificate when it has one. Slow and writes nothing:
    call it outside a transaction, then record the result (`file_record`)."""
    require_authority_manager(actor, authority)
    code = "".join(secrets.choice(VERIFY_ALPHABET) for _i in range(VERIFY_CODE_LENGTH))
    url = verify_url(code)
    certificate = AuthorityCertificate.objects.filter(authority=authority).first()
    profile = AuthorityProfile.objects.filter(authority=authority).first()
    lines = [
        _("Tra cứu, đối chiếu văn bản: %(url)s") % {"url": url},
        _("%(title)s %(reference)s của %(authority)s")
        % {
            "title": title,
            "reference": reference,
            "authority": profile.name if profile else authority.name,
        },
    ]
    content = signing.mark_and_sign(
        pdf,
        url=url,
        lines=lines,
        pkcs12_data=bytes(certificate.pkcs12) if certificate else None,
        password=signing.password_open(certificate.sealed_password) if certificate else "",
        reason=_("Ban hành %(title)s %(reference)s") % {"title": title, "reference": reference},
        location=profile.place_name if profile else authority.name,
    )
    return SignedPdf(
        code=code,
        content=content,
        certificate_subject=certificate.subject if certificate else "",
        certificate_fingerprint=certificate.fingerprint if certificate else "",
    )


@transaction.atomic
def file_record(
    *,
    actor: User | None,
    authority: Unit,
    signed: SignedPdf,
    title: str,
    file_name: str,
    issued_on: datetime.date,
    reference: str = "",
    signer_name: str = "",
    document: IssuedDocument | None = None,
) -> PublishedFile:
    """Keeps a signed PDF (`file_sign`) byte for byte with its SHA-256 for the public
    verification page, and records its publication."""
    require_authority_manager(actor, authority)
    published = PublishedFile.objects.create(
        authority=authority,
        document=document,
        code=signed.code,
        title=title,
        reference=reference,
        issued_on=issued_on,
        signer_name=signer_name,
        certificate_subject=signed.certificate_subject,
        certificate_fingerprint=signed.certificate_fingerprint,
        file_name=file_name,
        content=signed.content,
        sha256=signing.sha256(signed.content),
        published_by=actor,
    )
    authority_event_record(
        authority=authority,
        actor=actor,
        action="file_publish",
        subject=f"{title} {reference}".strip(),
        new=f"{published.code} SHA-256 {published.sha256}"
        + (
            ""
            if signed.certificate_fingerprint
            else " " + _("(chưa ký số: cơ quan chưa có chứng thư số)")
        ),
    )
    return published


def file_publish(
    *,
    actor: User | None,
    authority: Unit,
    pdf: bytes,
    title: str,
    file_name: str,
    issued_on: datetime.date,
    reference: str = "",
    signer_name: str = "",
    document: IssuedDocument | None = None,
) -> PublishedFile:
    """Publishes an issued document's PDF: signed (`file_sign`, before any transaction of its
    own), then recorded (`file_record`)."""
    signed = file_sign(actor=actor, authority=authority, pdf=pdf, title=title, reference=reference)
    return file_record(
        actor=actor,
        authority=authority,
        signed=signed,
        title=title,
        file_name=file_name,
        issued_on=issued_on,
        reference=reference,
        signer_name=signer_name,
        document=document,
    )

"""The `blocks` sheet: one row per member unit of a block. Blocks are written through
`units.services.blocks_upsert` (a renamed block goes through `block_update`); the units the file
names are enrolled through `campaigns.services.campaign_enrol`, each in its block, and a unit's
block in the campaign set through `campaigns.services.enrolment_blocks_set`."""

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.services import campaign_enrol, enrolment_blocks_set
from core.workbooks import Row, text_cell
from units.models import Block, Unit
from units.selectors import unit_subtree
from units.services import BlockLine, blocks_upsert

from .sheets import known_unit


@dataclass(frozen=True)
class BlockRow:
    row: Row
    code: str
    name: str
    unit_code: str


def check(rows: list[Row], unit_codes: set[str]) -> list[BlockRow]:
    """One name per block, member units that exist, each unit in one block only."""
    names: dict[str, tuple[str, int]] = {}
    member_of: dict[str, tuple[str, int]] = {}
    checked = []
    for row in rows:
        code = text_cell(row, "code", 32, required=True)
        name = text_cell(row, "name", 255, required=True)
        first_name, first_row = names.setdefault(code, (name, row.number))
        if name != first_name:
            raise row.error(
                "name",
                _("khối “%(code)s” đã có tên “%(name)s” ở dòng %(row)s.")
                % {"code": code, "name": first_name, "row": first_row},
            )
        unit_code = known_unit(row, "unit_code", unit_codes)
        block, block_row = member_of.setdefault(unit_code, (code, row.number))
        if block_row != row.number:
            raise row.error(
                "unit_code",
                _(
                    "đơn vị “%(unit)s” đã thuộc khối “%(block)s” ở dòng %(row)s; mỗi đơn vị chỉ "
                    "thuộc một khối trong phong trào."
                )
                % {"unit": unit_code, "block": block, "row": block_row},
            )
        checked.append(BlockRow(row, code, name, unit_code))
    return checked


def apply(
    rows: list[BlockRow], *, actor: User | None, units: dict[str, Unit]
) -> tuple[dict[str, Block], Counter[str]]:
    """Each block gets the file's name and members (its head unit stays a member)."""
    if not rows:
        return {}, Counter()
    lines = [BlockLine(row.row, row.code, row.name, units[row.unit_code]) for row in rows]
    return blocks_upsert(actor=actor, lines=lines)


def enrol(
    campaign: Campaign,
    *,
    actor: User | None,
    named: dict[str, tuple[Row, str]],
    units: dict[str, Unit],
    rows: list[BlockRow],
    blocks: dict[str, Block],
) -> Counter[str]:
    """Enrol every unit the file names (`named`: the first row naming each) that is not enrolled
    yet, in its block; enrolments the file does not name stay. Then each enrolled unit of the
    sheet competes in its block, one that left a block of the file competes in none, the others
    keep theirs. A refusal names the first row naming a unit it refuses."""
    counts: Counter[str] = Counter()
    block_of = {row.unit_code: blocks[row.code] for row in rows}
    enrolled = set(campaign.enrolments.values_list("unit__code", flat=True))
    new = [code for code in named if code not in enrolled]
    _require_within_authority(campaign, [units[code] for code in new], named)
    by_block: dict[Block | None, list[Unit]] = {}
    for code in new:
        by_block.setdefault(block_of.get(code), []).append(units[code])
    for block, members in by_block.items():
        try:
            campaign_enrol(actor=actor, campaign=campaign, units=members, block=block)
        except ValidationError as error:
            row, column = named[members[0].code]
            raise row.error(column, " ".join(error.messages)) from None
        counts["created:enrolment"] += len(members)
    if block_of:
        counts += enrolment_blocks_set(actor=actor, campaign=campaign, blocks=block_of)
    return counts


def _require_within_authority(
    campaign: Campaign, units: list[Unit], named: dict[str, tuple[Row, str]]
) -> None:
    """Refuse, naming its row, the first unit outside the subtree of the campaign's authority:
    another authority's unit (`campaign_enrol` refuses it too, without a row)."""
    if campaign.authority_id is None or not units:
        return
    inside = set(
        unit_subtree([campaign.authority_id])
        .filter(pk__in=[unit.pk for unit in units])
        .values_list("pk", flat=True)
    )
    for unit in units:
        if unit.pk not in inside:
            row, column = named[unit.code]
            raise row.error(
                column,
                _("đơn vị “%(code)s” nằm ngoài phạm vi của cơ quan phát động “%(authority)s”.")
                % {"code": unit.code, "authority": campaign.authority},
            )

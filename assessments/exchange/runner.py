"""Runs the sheet modules in order in one transaction: every sheet is checked before anything is
written, then each is applied through its service's bulk variant. All or nothing; codes are the
keys, so a second import of the same file changes nothing."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

# Each sheet's module by its name (not `from . import`: the package re-exports this runner).
import assessments.exchange.blocks as blocks_sheet
import assessments.exchange.campaign as campaign_sheet
import assessments.exchange.council as council_sheet
import assessments.exchange.criteria as criteria_sheet
import assessments.exchange.people as people_sheet
import assessments.exchange.review_scores as review_scores_sheet
import assessments.exchange.self_scores as self_scores_sheet
import assessments.exchange.units as units_sheet
from campaigns.models import SCORED_KINDS, Campaign, Criterion
from campaigns.services import (
    CriterionSpec,
    campaign_launch,
    campaign_window_advance,
    checklist_leaves,
    require_manager,
)
from core.workbooks import Row, WorkbookFile
from units.exchange import UnitLine
from units.models import Unit
from units.people_sheet import PersonLine

from ..models import Assessment, ReviewItem
from ..services import ReviewScoreEntry, SelfScoreEntry
from .blocks import BlockRow
from .campaign import CampaignRow
from .council import CouncilRow
from .extra import extra_sheets
from .sheets import Known, ScoreRules, read_workbook


@dataclass
class ImportSummary:
    """What an import did: rows created, updated and deleted per kind, and the campaign's totals."""

    campaign: Campaign
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    units: int = 0
    criteria: int = 0
    assessments: int = 0
    review_scores: int = 0

    @property
    def changed(self) -> bool:
        return any((self.created, self.updated, self.deleted))

    def add(self, counts: Counter[str]) -> None:
        """Counts keyed "created:<kind>", "updated:<kind>" or "deleted:<kind>"."""
        tallies = {"created": self.created, "updated": self.updated, "deleted": self.deleted}
        for key, count in counts.items():
            verb, kind = key.split(":", 1)
            if count:
                tallies[verb][kind] += count


@dataclass
class Plan:
    """Everything the workbook says, checked; `criteria` is None when the sheet is absent."""

    campaign: CampaignRow
    existing: Campaign | None
    authority_code: str | None
    units: list[UnitLine]
    blocks: list[BlockRow]
    criteria: list[CriterionSpec] | None
    self_scores: list[SelfScoreEntry]
    reviews: list[ReviewScoreEntry]
    council: list[CouncilRow]
    people: list[PersonLine]
    # The added sheets (`extra.extra_sheets`) the file has: each module and what it checked.
    extra: list[tuple[Any, Any]] = field(default_factory=list)

    def enrolled(self) -> dict[str, tuple[Row, str]]:
        """Every unit the file names, in the order it first names them, with that row and the
        column that names it."""
        named: list[tuple[str, Row, str]] = [(line.code, line.row, "code") for line in self.units]
        named += [(row.unit_code, row.row, "unit_code") for row in self.blocks]
        named += [(entry.unit_code, entry.row, "unit_code") for entry in self.self_scores]
        named += [(entry.unit_code, entry.row, "unit_code") for entry in self.reviews]
        first: dict[str, tuple[Row, str]] = {}
        for code, row, column in named:
            first.setdefault(code, (row, column))
        return first


def campaign_import(
    *, workbook_file: WorkbookFile, actor: User | None, authority_code: str | None = None
) -> ImportSummary:
    """Create or update a campaign from a workbook, all or nothing.

    Raises WorkbookError (a ValidationError) at the first bad cell or the first row reaching
    outside the actor's authority, ValidationError for an unknown `authority_code`,
    PermissionDenied when `actor` may not manage the campaign; in each case nothing is written.
    `actor` None is the system (the management command, the demo).
    """
    sheets = read_workbook(workbook_file)  # file I/O stays outside the transaction
    with transaction.atomic():
        plan, known = plan_workbook(sheets, actor=actor, authority_code=authority_code)
        return _apply(plan, known, actor)


def plan_workbook(
    sheets: dict[str, list[Row]], *, actor: User | None, authority_code: str | None
) -> tuple[Plan, Known]:
    """Check every sheet in order; the first bad cell raises. Reads the database, writes nothing."""
    row = campaign_sheet.check(sheets["campaign"])
    existing = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("authority")
        .filter(code=row.code)
    ).first()
    if existing is not None:
        require_manager(actor, existing)
        campaign_sheet.check_launched(row, existing)
    kept = existing.authority.code if existing and existing.authority else ""
    known = Known.load(sheets, {authority_code or "", kept})
    unit_lines = units_sheet.check(sheets.get("units", []), known)
    unit_codes = {line.code for line in unit_lines} | set(known.units)
    if authority_code and authority_code not in unit_codes:
        raise ValidationError(
            _("Không có đơn vị mã “%(code)s” để làm cơ quan phát động.") % {"code": authority_code}
        )
    block_rows = blocks_sheet.check(sheets.get("blocks", []), unit_codes)
    specs = criteria_sheet.check(sheets["criteria"], existing) if "criteria" in sheets else None
    in_force = specs if specs is not None else criteria_sheet.stored_criteria(existing)
    step = existing.score_step if existing else Campaign._meta.get_field("score_step").default
    rules = ScoreRules.of(in_force, step)
    plan = Plan(
        campaign=row,
        existing=existing,
        authority_code=authority_code or _authority(unit_lines, known, existing),
        units=unit_lines,
        blocks=block_rows,
        criteria=specs,
        self_scores=self_scores_sheet.check(sheets.get("self_scores", []), unit_codes, rules),
        reviews=review_scores_sheet.check(
            sheets.get("review_scores", []), unit_codes, rules, known
        ),
        people=people_sheet.check(sheets.get("people", []), unit_codes),
        council=[],
    )
    # The council may seat the reviewers and the people this file creates.
    reviewers = {entry.reviewer for entry in plan.reviews} | {line.username for line in plan.people}
    plan.council = council_sheet.check(sheets.get("council", []), known, reviewers)
    authority = existing.authority if existing else known.units.get(plan.authority_code or "")
    council_sheet.check_council(plan.council, known, existing, authority)
    if actor is not None:
        _check_new_campaign_manager(plan, known, actor)
        seated = {entry.username for entry in plan.council}
        review_scores_sheet.check_seated(plan.reviews, known, existing, seated)
    plan.extra = [
        (module, module.check(sheets[module.SHEET], actor=actor))
        for module in extra_sheets()
        if module.SHEET in sheets
    ]
    return plan, known


def _authority(lines: list[UnitLine], known: Known, existing: Campaign | None) -> str | None:
    """Keep an existing campaign's authority; else the one parent, in the database, of the units."""
    if existing is not None:
        return existing.authority.code if existing.authority else None
    codes = {line.code for line in lines}
    roots = [line for line in lines if line.parent_code not in codes]
    if len(roots) == 1 and roots[0].parent_code in known.units:
        return roots[0].parent_code
    return None


def _check_new_campaign_manager(plan: Plan, known: Known, actor: User) -> None:
    """Before any unit is written: a new campaign without an authority, or with one already
    stored, must be the actor's (one the file creates is checked when the campaign is made)."""
    code = plan.authority_code
    if plan.existing is None and (code is None or code in known.units):
        authority = known.units[code] if code else None
        require_manager(actor, Campaign(code=plan.campaign.code, authority=authority))


def _apply(plan: Plan, known: Known, actor: User | None) -> ImportSummary:
    """Each sheet through its service, in order: units, the campaign, its criteria, blocks and
    enrolments, self scores, review scores (their new reviewers seated), the council; a new
    campaign that can be launched is launched."""
    counts = units_sheet.apply(plan.units, actor=actor)
    counts += people_sheet.apply(plan.people, actor=actor)
    unit_by_code = _units(plan, known)
    authority = unit_by_code[plan.authority_code] if plan.authority_code else None
    target, made = campaign_sheet.apply(plan.campaign, actor=actor, authority=authority)
    counts += made
    counts += criteria_sheet.apply(plan.criteria, actor=actor, campaign=target)
    block_by_code, made = blocks_sheet.apply(plan.blocks, actor=actor, units=unit_by_code)
    counts += made
    counts += blocks_sheet.enrol(
        target,
        actor=actor,
        named=plan.enrolled(),
        units=unit_by_code,
        rows=plan.blocks,
        blocks=block_by_code,
    )
    counts += self_scores_sheet.apply(plan.self_scores, actor=actor, campaign=target)
    counts += review_scores_sheet.apply(plan.reviews, actor=actor, campaign=target)
    counts += council_sheet.apply(plan.council, actor=actor, campaign=target)
    for module, checked in plan.extra:
        counts += module.apply(checked, actor=actor, campaign=target)
    if plan.existing is None and _launchable(target):
        campaign_launch(actor=actor, campaign=target)
    # A round whose window already passed (a paper round of a past year) is closed at once, with
    # its history line, and can be scored.
    campaign_window_advance(campaign=target)
    summary = ImportSummary(campaign=target)
    summary.add(counts)
    _totals(summary)
    return summary


def _units(plan: Plan, known: Known) -> dict[str, Unit]:
    """Every unit the plan names, as stored now (after the units sheet was written)."""
    codes = {line.code for line in plan.units} | set(known.units) | set(plan.enrolled())
    return {u.code: u for u in Unit.objects.filter(code__in=codes)}


def _launchable(target: Campaign) -> bool:
    """What campaign_launch needs: a unit enrolled, a leaf points/yes_no criterion with a max."""
    if target.checklist is None or not target.enrolments.exists():
        return False
    leaves = checklist_leaves(target.checklist)
    return bool(leaves.filter(kind__in=SCORED_KINDS, max_points__gt=0).exists())


def _totals(summary: ImportSummary) -> None:
    target = summary.campaign
    summary.units = target.enrolments.count()
    summary.criteria = Criterion.objects.filter(checklist=target.checklist).count()
    summary.assessments = Assessment.objects.filter(enrolment__campaign=target).count()
    summary.review_scores = ReviewItem.objects.filter(
        assessment__enrolment__campaign=target
    ).count()

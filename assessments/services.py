"""Writes to self-assessments and reviews. Every change of a score or status is recorded.

Saving is guarded by the assessment's `version`: a save made from a form loaded at an older
version is refused, with the changes made since, so two people never overwrite each other.
"""

import datetime
import io
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, partial
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F, Model, PositiveSmallIntegerField, Prefetch, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import SCORED_KINDS, Campaign, CampaignStatus, Criterion, Enrolment
from campaigns.rules import sits_on_council
from campaigns.services import campaign_event_record, require_manager, scores_touched
from core.uploads import EVIDENCE_TYPES, check_upload
from core.workbooks import Row
from units.models import Block, Membership, Unit
from units.rules import user_unit_ids

from .models import (
    Assessment,
    AssessmentEvent,
    AssessmentItem,
    AssessmentStatus,
    AssessmentSubmission,
    Evidence,
    ReviewAssignment,
    ReviewItem,
)
from .notices import notify_assessment_decision
from .rules import REVIEW_ENDED, review_refusal, window_is_open
from .scores import check_score, parse_score
from .tallies import (
    criterion_scores_drift,
    criterion_scores_refresh,
    criterion_scores_refresh_campaign,
)


class ConcurrentEditError(ValidationError):
    """The assessment changed after the form was loaded; `changes` lists what changed."""

    def __init__(self, changes: list[AssessmentEvent]) -> None:
        super().__init__(
            _(
                "Bản tự chấm điểm vừa được người khác lưu; thay đổi của bạn chưa được lưu. "
                "Hãy xem các thay đổi dưới đây rồi lưu lại."
            ),
            code="concurrent_edit",
        )
        self.changes = changes


@dataclass(frozen=True)
class ChecklistIndex:
    """The campaign's criteria by id, and which of them are sections (one query)."""

    criteria: dict[int, Criterion]
    sections: frozenset[int]

    @classmethod
    def of(cls, campaign: Campaign) -> "ChecklistIndex":
        criteria = {c.pk: c for c in Criterion.objects.filter(checklist=campaign.checklist)}
        sections = frozenset(c.parent_id for c in criteria.values() if c.parent_id)
        return cls(criteria, sections)

    def leaves(self) -> list[Criterion]:
        return [c for pk, c in self.criteria.items() if pk not in self.sections]

    def get(self, criterion_id: object) -> Criterion:
        try:
            return self.criteria[int(criterion_id)]  # type: ignore[call-overload]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                _("Tiêu chí không thuộc bộ tiêu chí của phong trào."), code="foreign_criterion"
            ) from None


# Access and the window ---------------------------------------------------------------------------


def _require(actor: User, perm: str, assessment: Assessment, message: str) -> None:
    if not actor.has_perm(perm, assessment):
        raise PermissionDenied(message)


def _require_writable(assessment: Assessment) -> None:
    if not window_is_open(assessment.enrolment):
        raise ValidationError(_("Đã hết thời hạn tự chấm điểm."), code="window_closed")
    if not assessment.is_editable:
        raise ValidationError(_("Bản tự chấm điểm đã nộp: không thể sửa."), code="not_editable")


def assessment_for(enrolment: Enrolment) -> Assessment:
    """The enrolment's assessment, created empty (draft) the first time."""
    assessment, _created = Assessment.objects.select_related(
        "enrolment__campaign", "enrolment__unit"
    ).get_or_create(enrolment=enrolment)
    return assessment


def _bump_version(assessment: Assessment, expected: int, **fields: object) -> None:
    """Move to the next version only if nobody else did first (a conditional UPDATE)."""
    changed = Assessment.objects.filter(pk=assessment.pk, version=expected).update(
        version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if not changed:
        raise ConcurrentEditError(_changes_since(assessment, expected))
    assessment.version = expected + 1
    for name, value in fields.items():
        setattr(assessment, name, value)


def _changes_since(assessment: Assessment, version: int) -> list[AssessmentEvent]:
    return list(
        assessment.events.filter(version__gt=version)
        .select_related("actor", "criterion")
        .order_by("pk")
    )


def _record(
    assessment: Assessment,
    actor: User | None,
    field: str,
    old: object,
    new: object,
    criterion: Criterion | None = None,
    reason: str = "",
) -> AssessmentEvent:
    return AssessmentEvent(
        assessment=assessment,
        actor=actor,
        field=field,
        criterion=criterion,
        old_value="" if old is None else str(old),
        new_value="" if new is None else str(new),
        reason=reason,
        version=assessment.version,
    )


# Self-assessment ---------------------------------------------------------------------------------


@transaction.atomic
def assessment_save_draft(
    *,
    actor: User,
    assessment: Assessment,
    version: int,
    entries: Mapping[object, tuple[object, str]],
) -> Assessment:
    """Save scores and notes ({criterion id: (score, note)}) as a draft.

    Refused whole when any score is invalid, the window is closed, the assessment was submitted,
    or someone saved since `version`. Runs a fixed number of queries whatever the number of
    criteria.
    """
    _require(
        actor,
        "assessments.edit_assessment",
        assessment,
        _("Bạn chỉ được chấm điểm cho đơn vị của mình."),
    )
    _require_writable(assessment)
    campaign = assessment.enrolment.campaign
    checklist = ChecklistIndex.of(campaign) if entries else ChecklistIndex({}, frozenset())
    cleaned = _checked_entries(checklist, campaign.score_step, entries)
    if assessment.version != version:
        raise ConcurrentEditError(_changes_since(assessment, version))
    if not cleaned:  # nothing posted (the confirmation of a submit): nothing to compare
        return assessment
    new_items, changed_items, events = _item_changes(assessment, actor, checklist, cleaned)
    if not (new_items or changed_items):
        return assessment  # nothing changed: the version stays, nobody else is refused
    _bump_version(assessment, version)
    _items_write(assessment, new_items, changed_items, events)
    if assessment.submitted_at is not None:
        # A never-submitted draft is no run input (the engine reads submitted assessments
        # only): its saves leave the campaign's counter, and its row lock, alone.
        scores_touched(campaign.pk)
    return assessment


def _checked_entries(
    checklist: ChecklistIndex, step: Decimal, entries: Mapping[object, tuple[object, str]]
) -> dict[int, tuple[Decimal | None, str]]:
    """Each entry's score parsed and checked against its criterion (a bad one refuses the whole
    save); a section left empty is skipped, since its sub-criteria carry its score."""
    cleaned: dict[int, tuple[Decimal | None, str]] = {}
    for criterion_id, (raw, note) in entries.items():
        criterion = checklist.get(criterion_id)
        score = parse_score(raw)
        is_section = criterion.pk in checklist.sections
        if score is not None:
            check_score(criterion=criterion, value=score, step=step, is_section=is_section)
        elif is_section:
            continue
        cleaned[criterion.pk] = (score, (note or "").strip())
    return cleaned


def _items_write(
    assessment: Assessment,
    new_items: list[AssessmentItem],
    changed_items: list[AssessmentItem],
    events: list[AssessmentEvent],
) -> None:
    """The draft's rows, their history at the new version, and its per-criterion scores."""
    for event in events:
        event.version = assessment.version
    AssessmentItem.objects.bulk_create(new_items)
    AssessmentItem.objects.bulk_update(changed_items, ["self_score", "note"])
    AssessmentEvent.objects.bulk_create(events)
    criterion_scores_refresh([assessment.pk])


def _item_changes(
    assessment: Assessment,
    actor: User,
    checklist: ChecklistIndex,
    cleaned: dict[int, tuple[Decimal | None, str]],
) -> tuple[list[AssessmentItem], list[AssessmentItem], list[AssessmentEvent]]:
    """New items, changed items and the history entries of every changed score and note."""
    existing = {item.criterion_id: item for item in assessment.items.all()}
    new_items, changed_items, events = [], [], []
    for criterion_id, (score, note) in cleaned.items():
        item = existing.get(criterion_id)
        criterion = checklist.criteria[criterion_id]
        old_score, old_note = (item.self_score, item.note) if item else (None, "")
        if old_score != score:
            events.append(_record(assessment, actor, "self_score", old_score, score, criterion))
        if old_note != note:
            events.append(_record(assessment, actor, "note", old_note, note, criterion))
        if item is None and (score is not None or note):
            new_items.append(
                AssessmentItem(
                    assessment=assessment, criterion_id=criterion_id, self_score=score, note=note
                )
            )
        elif item is not None and (old_score != score or old_note != note):
            item.self_score, item.note = score, note
            changed_items.append(item)
    return new_items, changed_items, events


@dataclass(frozen=True)
class Missing:
    criterion: Criterion
    reason: str


def assessment_missing(
    assessment: Assessment, checklist: ChecklistIndex | None = None
) -> list[Missing]:
    """What stops a submit: unscored points/yes_no criteria and evidence not yet attached."""
    checklist = checklist or ChecklistIndex.of(assessment.enrolment.campaign)
    scored = {}
    with_evidence = set()
    for item in assessment.items.all():
        scored[item.criterion_id] = item.self_score
    for criterion_id in Evidence.objects.filter(item__assessment=assessment).values_list(
        "item__criterion_id", flat=True
    ):
        with_evidence.add(criterion_id)
    missing = []
    for criterion in sorted(checklist.leaves(), key=lambda c: (c.order, c.pk)):
        if criterion.kind in SCORED_KINDS and scored.get(criterion.pk) is None:
            missing.append(Missing(criterion, _("chưa chấm điểm")))
        if criterion.evidence_required and criterion.pk not in with_evidence:
            missing.append(Missing(criterion, _("chưa có minh chứng")))
    return missing


class IncompleteAssessmentError(ValidationError):
    def __init__(self, missing: list[Missing]) -> None:
        lines = [f"{m.criterion.code}. {m.criterion.title}: {m.reason}" for m in missing]
        super().__init__([_("Chưa thể nộp, còn thiếu:")] + lines, code="incomplete")
        self.missing = missing


@transaction.atomic
def assessment_submit(*, actor: User, assessment: Assessment, version: int) -> Assessment:
    """The unit head submits: every points/yes_no criterion scored, evidence where required."""
    _require(
        actor,
        "assessments.submit_assessment",
        assessment,
        _("Chỉ thủ trưởng đơn vị được nộp bản tự chấm điểm."),
    )
    _require_writable(assessment)
    if assessment.version != version:
        raise ConcurrentEditError(_changes_since(assessment, version))
    missing = assessment_missing(assessment)
    if missing:
        raise IncompleteAssessmentError(missing)
    now = timezone.now()
    old = assessment.status
    _bump_version(
        assessment,
        version,
        status=AssessmentStatus.SUBMITTED,
        submitted_at=assessment.submitted_at or now,
        last_submitted_at=now,
        return_reason="",
    )
    _record(assessment, actor, "status", old, AssessmentStatus.SUBMITTED).save()
    AssessmentSubmission.objects.create(
        assessment=assessment,
        number=assessment.submissions.count() + 1,
        at=now,
        actor=actor,
        version=assessment.version,
    )
    scores_touched(assessment.enrolment.campaign_id)
    return assessment


# Evidence ----------------------------------------------------------------------------------------


@transaction.atomic
def evidence_add(
    *, actor: User, assessment: Assessment, criterion_id: object, upload: UploadedFile
) -> Evidence:
    """Attach a file to a criterion of a draft; checked by content, stored under a new name."""
    _require(
        actor,
        "assessments.edit_assessment",
        assessment,
        _("Bạn chỉ được nộp minh chứng cho đơn vị của mình."),
    )
    _require_writable(assessment)
    checklist = ChecklistIndex.of(assessment.enrolment.campaign)
    criterion = checklist.get(criterion_id)
    if criterion.pk in checklist.sections:
        raise ValidationError(_("Không gắn minh chứng cho mục."), code="section")
    sha256, mime = check_upload(upload, EVIDENCE_TYPES)
    _require_evidence_room(assessment, upload.size or 0)
    item, _created = AssessmentItem.objects.get_or_create(
        assessment=assessment, criterion=criterion
    )
    evidence = Evidence.objects.create(
        item=item,
        file=upload,
        original_name=(upload.name or "")[:255],
        content_type=mime,
        size=upload.size or 0,
        sha256=sha256,
        uploaded_by=actor,
    )
    version = assessment.version
    _bump_version(assessment, version)
    _record(assessment, actor, "evidence", None, evidence.original_name, criterion).save()
    return evidence


def _require_evidence_room(assessment: Assessment, size: int) -> None:
    """All evidence of one assessment together stays under ASSESSMENT_EVIDENCE_MAX_BYTES."""
    limit = settings.ASSESSMENT_EVIDENCE_MAX_BYTES
    stored = Evidence.objects.filter(item__assessment=assessment).aggregate(total=Sum("size"))
    if (stored["total"] or 0) + size > limit:
        raise ValidationError(
            _("Tổng dung lượng minh chứng của bản tự đánh giá sẽ vượt quá %(limit)s.")
            % {"limit": filesizeformat(limit)},
            code="evidence_total",
        )


@transaction.atomic
def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    """Remove a file from a draft, never from a submitted assessment; the file goes after commit."""
    assessment = evidence.item.assessment
    _require(
        actor,
        "assessments.edit_assessment",
        assessment,
        _("Bạn chỉ được sửa minh chứng của đơn vị mình."),
    )
    _require_writable(assessment)
    _bump_version(assessment, assessment.version)
    _record(
        assessment, actor, "evidence", evidence.original_name, None, evidence.item.criterion
    ).save()
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


# Review -------------------------------------------------------------------------------------------


@transaction.atomic
def review_assign(
    *,
    actor: User | None,
    campaign: Campaign,
    reviewer: User,
    unit: Unit | None = None,
    block: Block | None = None,
    stage: int = 1,
) -> ReviewAssignment:
    """Assign a council member to a unit or a block. Nobody is assigned to their own unit."""
    require_manager(actor, campaign)
    if campaign.status in REVIEW_ENDED:
        raise ValidationError(
            _("Phong trào đã kết thúc: không phân công thẩm định nữa."), code="campaign_closed"
        )
    if (unit is None) == (block is None):
        raise ValidationError(_("Chọn một đơn vị hoặc một khối."))
    if not sits_on_council(reviewer, campaign):
        raise ValidationError(_("Người thẩm định phải là thành viên Hội đồng của phong trào."))
    if stage < 1 or stage > campaign.review_stages:
        raise ValidationError(_("Vòng thẩm định không hợp lệ."))
    if unit is not None and unit.pk in user_unit_ids(reviewer):
        raise ValidationError(
            _("%(user)s thuộc %(unit)s nên không được thẩm định đơn vị này."),
            params={"user": reviewer.get_full_name() or reviewer.username, "unit": unit.name},
            code="recusal",
        )
    assignment, _created = ReviewAssignment.objects.get_or_create(
        campaign=campaign, reviewer=reviewer, unit=unit, block=block, stage=stage
    )
    return assignment


def _require_reviewable(actor: User, assessment: Assessment) -> None:
    _require(
        actor,
        "assessments.review_assessment",
        assessment,
        _("Bạn không được phân công thẩm định đơn vị này."),
    )
    refused = review_refusal(assessment)
    if refused is not None:
        raise ValidationError(refused[0], code=refused[1])


@transaction.atomic
def review_save(
    *, actor: User, assessment: Assessment, entries: Mapping[object, tuple[object, str]]
) -> Assessment:
    """The reviewer's scores and comments ({criterion id: (score, comment)}) at this stage."""
    _require_reviewable(actor, assessment)
    campaign = assessment.enrolment.campaign
    checklist = ChecklistIndex.of(campaign)
    cleaned: dict[int, tuple[Decimal, str]] = {}
    for criterion_id, (raw, comment) in entries.items():
        criterion = checklist.get(criterion_id)
        score = parse_score(raw)
        if score is None:
            continue
        check_score(
            criterion=criterion,
            value=score,
            step=campaign.score_step,
            is_section=criterion.pk in checklist.sections,
        )
        cleaned[criterion.pk] = (score, (comment or "").strip())
    _bump_version(assessment, assessment.version)
    _write_reviews(assessment, actor, checklist, cleaned)
    _scores_written(campaign, [assessment.pk])
    return assessment


def _write_reviews(
    assessment: Assessment,
    actor: User,
    checklist: ChecklistIndex,
    cleaned: dict[int, tuple[Decimal, str]],
) -> None:
    stage = assessment.review_stage
    own = assessment.reviews.filter(reviewer=actor, stage=stage)
    new, changed, events = _review_rows(
        assessment,
        actor,
        stage,
        {(r.criterion_id, actor.pk): r for r in own},
        [
            (checklist.criteria[pk], actor, score, comment)
            for pk, (score, comment) in cleaned.items()
        ],
    )
    ReviewItem.objects.bulk_create(new)
    ReviewItem.objects.bulk_update(changed, ["score", "comment", "updated_at"], batch_size=500)
    AssessmentEvent.objects.bulk_create(events)
    if new:
        _review_started([assessment.pk])


def _review_started(assessment_ids: Iterable[int]) -> None:
    """Mark when these assessments got their first review score (`Assessment.review_started_at`)."""
    Assessment.objects.filter(pk__in=list(assessment_ids), review_started_at__isnull=True).update(
        review_started_at=timezone.now()
    )


def _review_rows(
    assessment: Assessment,
    actor: User | None,
    stage: int,
    stored: Mapping[tuple[int, int], ReviewItem],
    scores: list[tuple[Criterion, User, Decimal, str]],
) -> tuple[list[ReviewItem], list[ReviewItem], list[AssessmentEvent]]:
    """What (criterion, reviewer, score, comment) rows change at `stage` against the `stored`
    reviews by (criterion id, reviewer id): the new rows, the changed ones (their `updated_at`
    set: bulk_update skips auto_now) and the history of each new or changed score."""
    new, changed, events = [], [], []
    now = timezone.now()
    for criterion, reviewer, score, comment in scores:
        review = stored.get((criterion.pk, reviewer.pk))
        if review is None:
            new.append(
                ReviewItem(
                    assessment=assessment,
                    criterion=criterion,
                    reviewer=reviewer,
                    stage=stage,
                    score=score,
                    comment=comment,
                )
            )
            events.append(_record(assessment, actor, "review_score", None, score, criterion))
        elif review.score != score or review.comment != comment:
            if review.score != score:
                events.append(
                    _record(assessment, actor, "review_score", review.score, score, criterion)
                )
            review.score, review.comment, review.updated_at = score, comment, now
            changed.append(review)
    return new, changed, events


@transaction.atomic
def assessment_return(*, actor: User, assessment: Assessment, reason: str) -> Assessment:
    """Send back for revision, with a required reason; the unit may edit and resubmit."""
    _require_reviewable(actor, assessment)
    if not reason.strip():
        raise ValidationError(_("Phải nêu lý do trả lại."), code="reason_required")
    _bump_version(
        assessment,
        assessment.version,
        status=AssessmentStatus.RETURNED,
        return_reason=reason.strip(),
    )
    _record(
        assessment,
        actor,
        "status",
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.RETURNED,
        reason=reason.strip(),
    ).save()
    scores_touched(assessment.enrolment.campaign_id)
    notify_assessment_decision(assessment=assessment, accepted=False)
    return assessment


@transaction.atomic
def assessment_accept(*, actor: User, assessment: Assessment) -> Assessment:
    """Accept at this stage: on to the next review stage, or accepted after the last one."""
    _require_reviewable(actor, assessment)
    campaign = assessment.enrolment.campaign
    if assessment.review_stage < campaign.review_stages:
        old_stage = assessment.review_stage
        _bump_version(assessment, assessment.version, review_stage=old_stage + 1)
        _record(assessment, actor, "review_stage", old_stage, old_stage + 1).save()
        scores_touched(campaign.pk)
        return assessment
    _bump_version(assessment, assessment.version, status=AssessmentStatus.ACCEPTED)
    _record(
        assessment, actor, "status", AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED
    ).save()
    scores_touched(campaign.pk)
    notify_assessment_decision(assessment=assessment, accepted=True)
    return assessment


@transaction.atomic
def criterion_scores_repair(*, actor: User | None, campaign: Campaign) -> int:
    """After scores were written around the portal (the audit, `score_campaign --audit`, counts
    the stored per-criterion scores that differ from the score tables): recompute the campaign's,
    record it, and move its scores version (a run planned before fails). The number that
    differed; 0 changes nothing."""
    require_manager(actor, campaign)
    drift = criterion_scores_drift(campaign.pk)
    if drift:
        criterion_scores_refresh_campaign(campaign.pk)
        campaign_event_record(campaign=campaign, actor=actor, action="scores_repaired", new=drift)
        scores_touched(campaign.pk)
    return drift


# Bulk loads --------------------------------------------------------------------------------------
# A campaign's scores written many at a time, as the system or a campaign manager: the load
# generator's thousands of units and the test cases. No window, status or review-stage check: the
# caller loads what a round already holds (the workbook's variants below keep those rules). Every
# row must belong to the campaign. Each touched assessment moves to its next version with one
# history line summing up what the load set (`scores_loaded`): a line per score would be half a
# million lines for a load test. The stored per-criterion scores and the campaign's scores version
# follow in the same transaction (`_scores_written`).


class SelfScoreRow(NamedTuple):
    assessment_id: int
    criterion_id: int
    score: Decimal | None


class ReviewScoreRow(NamedTuple):
    assessment_id: int
    criterion_id: int
    reviewer_id: int
    stage: int
    score: Decimal


LOAD_BATCH = 2000


@transaction.atomic
def assessment_scores_bulk_set(
    *,
    actor: User | None,
    campaign: Campaign,
    self_scores: Iterable[SelfScoreRow] = (),
    reviews: Iterable[ReviewScoreRow] = (),
) -> Counter[str]:
    """Set self scores (by assessment and criterion) and review scores (by assessment, criterion,
    reviewer and stage) of the campaign's assessments: a row already stored takes the new score,
    the others are created. Returns what it wrote under "created:<kind>" and "updated:<kind>"."""
    require_manager(actor, campaign)
    items, scores = list(self_scores), list(reviews)
    _require_of_campaign(campaign, items, scores)
    now = timezone.now()
    counts = _load_rows(
        AssessmentItem,
        campaign,
        ("assessment_id", "criterion_id"),
        ("self_score", "note"),
        [(row[:2], (row.score, "")) for row in items],
    )
    counts += _load_rows(
        ReviewItem,
        campaign,
        ("assessment_id", "criterion_id", "reviewer_id", "stage"),
        ("score", "comment", "updated_at"),
        [(row[:4], (row.score, "", now)) for row in scores],
    )
    _review_started({row.assessment_id for row in scores})
    touched = sorted({row.assessment_id for row in items} | {row.assessment_id for row in scores})
    _scores_loaded(actor, touched, items, scores)
    _scores_written(campaign, touched)
    return +counts


def _require_of_campaign(
    campaign: Campaign, items: list[SelfScoreRow], scores: list[ReviewScoreRow]
) -> None:
    assessments = set(
        Assessment.objects.filter(enrolment__campaign=campaign).values_list("pk", flat=True)
    )
    criteria = set(
        Criterion.objects.filter(checklist=campaign.checklist).values_list("pk", flat=True)
    )
    rows: list[SelfScoreRow | ReviewScoreRow] = [*items, *scores]
    for row in rows:
        if row.assessment_id not in assessments or row.criterion_id not in criteria:
            raise ValidationError(
                _("Điểm nạp không thuộc phong trào “%(code)s”.") % {"code": campaign.code},
                code="foreign_score",
            )
    if any(row.stage < 1 for row in scores):
        raise ValidationError(_("Vòng thẩm định bắt đầu từ 1."), code="stage")


def _load_rows(
    model: type[AssessmentItem] | type[ReviewItem],
    campaign: Campaign,
    key: tuple[str, ...],
    fields: tuple[str, ...],
    rows: list[tuple[tuple[Any, ...], tuple[Any, ...]]],
) -> Counter[str]:
    """Create the `rows` (key, values of `fields`) not stored yet and give the stored ones their
    new score (and time), their text (note, comment) kept."""
    stored = {
        tuple(values[:-1]): values[-1]
        for values in model.objects.filter(  # type: ignore[attr-defined]
            assessment__enrolment__campaign=campaign,
            assessment__in={k[0] for k, _values in rows},
        ).values_list(*key, "pk")
    }
    new = [k + values for k, values in rows if k not in stored]
    _insert(model, key + fields, new)
    kept = {"note", "comment"}
    changed: list[Any] = [
        model(pk=stored[k], **{f: v for f, v in zip(fields, values, strict=True) if f not in kept})
        for k, values in rows
        if k in stored
    ]
    if changed:
        update = [f for f in fields if f not in kept]
        model.objects.bulk_update(changed, update, batch_size=500)  # type: ignore[attr-defined]
    kind = model._meta.model_name
    return Counter({f"created:{kind}": len(new), f"updated:{kind}": len(changed)})


def _insert(model: type[Model], names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """INSERT the rows (values in the order of the fields `names`) without a model instance each:
    a load test writes hundreds of thousands. PostgreSQL takes them in one COPY; another database
    many to a statement, each distinct value adapted for it once (scores repeat, ids need
    nothing)."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    table, quote = model._meta.db_table, connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)  # type: ignore[union-attr, arg-type]
    plain = [f.is_relation or isinstance(f, PositiveSmallIntegerField) for f in fields]
    if connection.vendor == "postgresql":  # column by column, each distinct value written once
        texts = [
            map(str if ids else cache(_copy_text), values)
            for ids, values in zip(plain, zip(*rows, strict=True), strict=True)
        ]
        text = io.StringIO("\n".join(map("\t".join, zip(*texts, strict=True))) + "\n")
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {quote(table)} ({columns}) FROM STDIN", text)
        return
    adapters: list[Callable[[Any], Any] | None] = [
        None if ids else cache(partial(field.get_db_prep_save, connection=connection))  # type: ignore[union-attr]
        for ids, field in zip(plain, fields, strict=True)
    ]
    size = min(LOAD_BATCH, connection.ops.bulk_batch_size(fields, rows) or 1)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {quote(table)} ({columns}) VALUES "  # noqa: S608 - our own names
                + ", ".join([one] * len(batch)),
                [
                    value if adapt is None else adapt(value)
                    for row in batch
                    for value, adapt in zip(row, adapters, strict=True)
                ],
            )


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: object) -> str:
    """A value in COPY's text format: NULL as \\N, a time in ISO form, text escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value).translate(COPY_ESCAPES)


def _scores_loaded(
    actor: User | None,
    assessment_ids: list[int],
    items: list[SelfScoreRow],
    scores: list[ReviewScoreRow],
) -> None:
    """Each loaded assessment moves to its next version, with one line saying how many self
    scores and review scores the load set."""
    Assessment.objects.filter(pk__in=assessment_ids).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    versions = dict(Assessment.objects.filter(pk__in=assessment_ids).values_list("pk", "version"))
    own = Counter(row.assessment_id for row in items)
    reviewed = Counter(row.assessment_id for row in scores)
    AssessmentEvent.objects.bulk_create(
        (
            AssessmentEvent(
                assessment_id=pk,
                actor=actor,
                field="scores_loaded",
                new_value=_("%(self)d điểm tự chấm, %(review)d điểm thẩm định")
                % {"self": own[pk], "review": reviewed[pk]},
                version=versions[pk],
            )
            for pk in assessment_ids
        ),
        batch_size=LOAD_BATCH,
    )


def _scores_written(campaign: Campaign, assessment_ids: Iterable[int]) -> None:
    """After a service wrote scores of these assessments: their stored per-criterion scores are
    recomputed and the campaign's scores version moves (once per write, after its rows)."""
    ids = list(assessment_ids)
    criterion_scores_refresh(ids)
    if ids:
        scores_touched(campaign.pk)


# Bulk variants for the campaign workbook ---------------------------------------------------------
# A workbook may carry the scores of a campaign kept on paper, until its window opens, or for good
# when its window passed before it was launched or imported (a past round, never opened on the
# portal, no unit reopened); otherwise scores and statuses change only through the services above
# (window, version check, review stage).
# Each variant checks the manager's authority once for all rows, records the same history as the
# single-object services (`self_score`, `note`, `status`, `review_score`), and returns what it
# changed under "created:<kind>" and "updated:<kind>".

FILE_IMPORTABLE = (CampaignStatus.DRAFT, CampaignStatus.LAUNCHED)


def file_importable(campaign: Campaign) -> bool:
    """Whether a workbook may still change the campaign's scores and statuses."""
    if campaign.status in FILE_IMPORTABLE:
        return True
    return (
        campaign.status == CampaignStatus.WINDOW_CLOSED
        and campaign.window_passed_before_launch
        and not campaign.enrolments.filter(reopened_until__isnull=False).exists()
    )


SUBMISSION_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class SelfScoreEntry:
    """One checked row of a `self_scores` sheet; `submitted_on` None is a draft."""

    row: Row
    unit_code: str
    criterion_code: str
    score: Decimal | None
    note: str
    submitted_on: datetime.date | None


@dataclass(frozen=True)
class ReviewScoreEntry:
    """One checked row of a `review_scores` sheet (a first-stage review)."""

    row: Row
    reviewer: str
    unit_code: str
    criterion_code: str
    score: Decimal
    comment: str


@dataclass
class _FileChange:
    """What one assessment's rows change, before anything is written."""

    assessment: Assessment
    first_row: Row
    existed: bool
    fields: dict[str, object] = field(default_factory=dict)
    events: list[AssessmentEvent] = field(default_factory=list)
    new: list[Any] = field(default_factory=list)  # AssessmentItem or ReviewItem rows
    changed: list[Any] = field(default_factory=list)


def _file_assessments(
    campaign: Campaign, unit_codes: list[str], counts: Counter[str], rows: Prefetch
) -> dict[str, tuple[Assessment, bool]]:
    """The enrolled units' assessments by unit code, locked, with their score `rows` read in one
    query, each with whether it was there before; the missing ones are created together (empty
    drafts, as `assessment_for` makes them)."""
    enrolments = {
        e.unit.code: e
        for e in campaign.enrolments.select_related("unit").filter(unit__code__in=unit_codes)
    }
    existed = set(
        Assessment.objects.filter(enrolment__in=enrolments.values()).values_list(
            "enrolment_id", flat=True
        )
    )
    created = Assessment.objects.bulk_create(  # in the file's order of units
        Assessment(enrolment=enrolments[code])
        for code in unit_codes
        if enrolments[code].pk not in existed
    )
    counts["created:assessment"] += len(created)
    stored = {
        a.enrolment_id: a
        for a in Assessment.objects.select_for_update()
        .select_related("enrolment__unit")
        .prefetch_related(rows)
        .filter(enrolment__in=enrolments.values())
    }
    return {
        code: (stored[enrolments[code].pk], enrolments[code].pk in existed) for code in unit_codes
    }


def _file_apply(
    campaign: Campaign, changes: list[_FileChange], counts: Counter[str]
) -> list[_FileChange]:
    """Write every change, each assessment to its next version; refused whole on a live
    campaign, naming the first row of the first unit whose rows would change something.
    Returns the changes written, each with its new and changed rows still to save."""
    changes = [c for c in changes if c.fields or c.events or c.new or c.changed]
    if changes and not file_importable(campaign):
        first = changes[0]
        raise first.first_row.error(
            None,
            _(
                "phong trào đã mở tự chấm điểm: điểm và trạng thái của “%(unit)s” chỉ thay "
                "đổi trên trang tự chấm điểm và thẩm định, không qua tệp nhập."
            )
            % {"unit": first.assessment.enrolment.unit.code},
        )
    for change in changes:
        _bump_version(change.assessment, change.assessment.version, **change.fields)
        for event in change.events:
            event.version = change.assessment.version
        if change.existed:
            counts["updated:assessment"] += 1
    AssessmentEvent.objects.bulk_create(event for change in changes for event in change.events)
    return changes


_Entry = TypeVar("_Entry", SelfScoreEntry, ReviewScoreEntry)


def _file_criteria(campaign: Campaign) -> dict[str, Criterion]:
    return {c.code: c for c in Criterion.objects.filter(checklist=campaign.checklist)}


def _file_changes(
    campaign: Campaign,
    entries: Sequence[_Entry],
    counts: Counter[str],
    fill: Callable[[_FileChange, list[_Entry]], None],
    rows: Prefetch,
) -> list[_FileChange]:
    """A file's rows unit by unit: each unit's assessment (made if need be), its change filled
    by `fill` from the unit's rows, and the changes applied (`_file_apply`)."""
    by_unit: dict[str, list[_Entry]] = {}
    for entry in entries:
        by_unit.setdefault(entry.unit_code, []).append(entry)
    assessments = _file_assessments(campaign, list(by_unit), counts, rows)
    changes = []
    for code, unit_entries in by_unit.items():
        assessment, existed = assessments[code]
        change = _FileChange(assessment, unit_entries[0].row, existed)
        fill(change, unit_entries)
        changes.append(change)
    return _file_apply(campaign, changes, counts)


@transaction.atomic
def self_scores_import(
    *, actor: User | None, campaign: Campaign, entries: list[SelfScoreEntry]
) -> Counter[str]:
    """The bulk variant of `assessment_save_draft` and `assessment_submit` for a campaign kept on
    paper: each named unit's items become its rows; a unit with a day of submission is submitted
    on the latest day it gives (00:00 in Việt Nam), one without is a draft."""
    require_manager(actor, campaign)
    counts: Counter[str] = Counter()
    criteria = _file_criteria(campaign)

    def fill(change: _FileChange, unit_entries: list[SelfScoreEntry]) -> None:
        _file_status(change, actor, unit_entries)
        _file_items(change, actor, criteria, unit_entries)

    written = _file_changes(campaign, entries, counts, fill, Prefetch("items"))
    new = [item for change in written for item in change.new]
    changed = [item for change in written for item in change.changed]
    AssessmentItem.objects.bulk_create(new)
    AssessmentItem.objects.bulk_update(changed, ["self_score", "note"], batch_size=500)
    counts["created:assessment_item"] += len(new)
    counts["updated:assessment_item"] += len(changed)
    _file_submissions(actor, [change for change in written if "submitted_at" in change.fields])
    _scores_written(campaign, (change.assessment.pk for change in written))
    return counts


def _file_submissions(actor: User | None, changes: list[_FileChange]) -> None:
    """A paper campaign's file gives one day of submission per unit: its submissions become that
    one (or none, for a draft), at the version the file's rows produced."""
    AssessmentSubmission.objects.filter(
        assessment__in=[change.assessment for change in changes]
    ).delete()
    AssessmentSubmission.objects.bulk_create(
        AssessmentSubmission(
            assessment=change.assessment,
            number=1,
            at=change.assessment.submitted_at,
            actor=actor,
            version=change.assessment.version,
        )
        for change in changes
        if change.assessment.submitted_at is not None
    )


def _file_status(change: _FileChange, actor: User | None, entries: list[SelfScoreEntry]) -> None:
    days = [entry.submitted_on for entry in entries if entry.submitted_on is not None]
    submitted_at = (
        datetime.datetime.combine(max(days), datetime.time(), tzinfo=SUBMISSION_ZONE)
        if days
        else None
    )
    status = AssessmentStatus.SUBMITTED if days else AssessmentStatus.DRAFT
    assessment = change.assessment
    if days and assessment.status == AssessmentStatus.ACCEPTED:
        status = AssessmentStatus.ACCEPTED  # accepted on paper by the review file: it stays so
    if assessment.status != status:
        change.events.append(_record(assessment, actor, "status", assessment.status, status))
    for name, value in (
        ("status", status),
        ("submitted_at", submitted_at),
        ("last_submitted_at", submitted_at),
    ):
        if getattr(assessment, name) != value:
            change.fields[name] = value


def _file_items(
    change: _FileChange,
    actor: User | None,
    criteria: dict[str, Criterion],
    entries: list[SelfScoreEntry],
) -> None:
    assessment = change.assessment
    stored = {item.criterion_id: item for item in assessment.items.all()}
    for entry in entries:
        criterion = criteria[entry.criterion_code]
        item = stored.get(criterion.pk)
        old_score, old_note = (item.self_score, item.note) if item else (None, "")
        if old_score != entry.score:
            change.events.append(
                _record(assessment, actor, "self_score", old_score, entry.score, criterion)
            )
        if old_note != entry.note:
            change.events.append(
                _record(assessment, actor, "note", old_note, entry.note, criterion)
            )
        if item is None:  # a blank score is stored as NULL
            item = AssessmentItem(assessment=assessment, criterion=criterion)
            change.new.append(item)
        elif (old_score, old_note) != (entry.score, entry.note):
            change.changed.append(item)
        item.self_score, item.note = entry.score, entry.note


@transaction.atomic
def review_scores_import(
    *, actor: User | None, campaign: Campaign, entries: list[ReviewScoreEntry]
) -> Counter[str]:
    """The bulk variant of `review_save` at the first stage, for a campaign kept on paper. Every
    reviewer must sit on the campaign's council and may not review their own unit."""
    require_manager(actor, campaign)
    counts: Counter[str] = Counter()
    reviewers = _file_reviewers(campaign, entries)
    criteria = _file_criteria(campaign)

    on_paper = paper_round(campaign)

    def fill(change: _FileChange, unit_entries: list[ReviewScoreEntry]) -> None:
        _file_reviews(change, actor, criteria, reviewers, unit_entries)
        if on_paper:
            _file_accepted(change, actor, campaign)

    first_stage = Prefetch(
        "reviews", queryset=ReviewItem.objects.filter(stage=1), to_attr="first_stage_reviews"
    )
    written = _file_changes(campaign, entries, counts, fill, first_stage)
    new = [review for change in written for review in change.new]
    changed = [review for change in written for review in change.changed]
    ReviewItem.objects.bulk_create(new)
    ReviewItem.objects.bulk_update(changed, ["score", "comment", "updated_at"], batch_size=500)
    _review_started(change.assessment.pk for change in written if change.new)
    counts["created:review_item"] += len(new)
    counts["updated:review_item"] += len(changed)
    _scores_written(campaign, (change.assessment.pk for change in written))
    return counts


def paper_round(campaign: Campaign) -> bool:
    """A round kept on paper and brought in after its window: the portal never opened it, so
    the council's review and acceptance happened on paper and the workbook records them."""
    return campaign.window_closes_on < timezone.localdate() and file_importable(campaign)


def _file_accepted(change: _FileChange, actor: User | None, campaign: Campaign) -> None:
    """A submitted unit whose review scores a paper round's file brings was accepted by the
    council on paper: accepted at the last stage, with its history line."""
    assessment = change.assessment
    if assessment.status != AssessmentStatus.SUBMITTED:
        return
    change.fields["status"] = AssessmentStatus.ACCEPTED
    change.fields["review_stage"] = campaign.review_stages
    change.events.append(
        _record(
            assessment,
            actor,
            "status",
            AssessmentStatus.SUBMITTED,
            AssessmentStatus.ACCEPTED,
            reason=str(_("Hội đồng đã thẩm định và chấp nhận trên giấy (nhập từ tệp).")),
        )
    )


def _file_reviewers(campaign: Campaign, entries: list[ReviewScoreEntry]) -> dict[str, User]:
    """The reviewers by username, each checked once: seated on the council, not of the unit."""
    names = {entry.reviewer for entry in entries}
    seated = {
        seat.user.username: seat.user
        for seat in campaign.council_seats.current()  # type: ignore[attr-defined]
        .select_related("user")
        .filter(user__username__in=names)
    }
    own = set(
        Membership.objects.filter(user__username__in=names).values_list(
            "user__username", "unit__code"
        )
    )
    for entry in entries:
        if entry.reviewer not in seated:
            raise entry.row.error(
                "reviewer",
                _("tài khoản “%(name)s” không phải thành viên Hội đồng của phong trào này.")
                % {"name": entry.reviewer},
            )
        if (entry.reviewer, entry.unit_code) in own:
            raise entry.row.error(
                "unit_code",
                _("“%(user)s” thuộc đơn vị “%(unit)s” nên không được thẩm định đơn vị này.")
                % {"user": entry.reviewer, "unit": entry.unit_code},
            )
    return seated


def _file_reviews(
    change: _FileChange,
    actor: User | None,
    criteria: dict[str, Criterion],
    reviewers: dict[str, User],
    entries: list[ReviewScoreEntry],
) -> None:
    assessment = change.assessment
    reviews = assessment.first_stage_reviews  # type: ignore[attr-defined]  # the prefetch
    new, changed, events = _review_rows(
        assessment,
        actor,
        1,
        {(r.criterion_id, r.reviewer_id): r for r in reviews},
        [(criteria[e.criterion_code], reviewers[e.reviewer], e.score, e.comment) for e in entries],
    )
    change.new += new
    change.changed += changed
    change.events += events

"""Load data for benchmarks: a campaign of many units, scored by two reviewers each.

Units, blocks, enrolments and assessments go in with bulk_create; the scores (units × criteria ×
reviewers rows) are worked out by a SELECT in the database and written through the bulk service
(`assessment_scores_bulk_set`), which keeps the stored per-criterion scores current.
Scores are deterministic functions of the ids, so two databases get the same campaign, and they
exercise every rule: each unit has a level from 40 to 100 % (so every band, and many ties between
units of one level), critical criteria missed by some of the best units (the cap), deductions and
bonus, a second review stage on one assessment in five, late submissions (some of them within a
reopened window) and a few units that never submitted.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus
from assessments.services import ReviewScoreRow, SelfScoreRow, assessment_scores_bulk_set
from campaigns.models import Campaign, CampaignStatus, Checklist, Criterion, Enrolment
from core.text import fold
from units.models import Block, Unit
from units.services import unit_kinds_ensure

KINDS = ["points"] * 50 + ["yes_no"] * 6 + ["deduction"] * 2 + ["bonus"] * 2

# A unit's level, 40..100 (% of each criterion's max), from its assessment id.
LEVEL = "(40 + (a.id * 37) %% 61)"
# A points criterion: the level's share of the max in half points, less a little noise that
# depends on the level and the criterion only (units of one level tie), never below 0; a critical
# one is met in full by three in four of the units at 90 or more, missed by the rest.
POINTS = f"""
    CASE WHEN c.critical AND {LEVEL} >= 90 AND a.id %% 4 <> 0 THEN c.max_points
         WHEN ROUND(c.max_points * {LEVEL} / 50.0) / 2 - (({LEVEL} + c.id * 13) %% 3) * 0.5 < 0
         THEN 0
         ELSE ROUND(c.max_points * {LEVEL} / 50.0) / 2 - (({LEVEL} + c.id * 13) %% 3) * 0.5 END
"""

ITEMS = f"""
    SELECT a.id AS assessment_id, c.id AS criterion_id,
        CASE c.kind
            WHEN 'yes_no' THEN CASE WHEN ({LEVEL} + c.id) %% 11 = 0 AND {LEVEL} < 95 THEN 0
                                    ELSE c.max_points END
            WHEN 'deduction' THEN CASE WHEN (a.id + c.id) %% 7 = 0 THEN 1 ELSE 0 END
            WHEN 'bonus' THEN ((a.id * 3 + c.id) %% 5) * 0.5
            ELSE {POINTS}
        END AS self_score
    FROM assessments_assessment a
    JOIN campaigns_enrolment e ON e.id = a.enrolment_id
    CROSS JOIN campaigns_criterion c
    WHERE e.campaign_id = %(campaign)s AND c.checklist_id = %(checklist)s
      AND a.id BETWEEN %(first)s AND %(last)s
"""

# The first stage: every reviewer scores every item, half a point lower now and then.
REVIEWS = f"""
    WITH i AS ({ITEMS})
    SELECT i.assessment_id, i.criterion_id, u.id, 1,
        CASE WHEN c.kind = 'points' AND (i.assessment_id + u.id + c.id) %% 4 = 0
             THEN CASE WHEN i.self_score >= 0.5 THEN i.self_score - 0.5 ELSE 0 END
             ELSE i.self_score END
    FROM i
    JOIN campaigns_criterion c ON c.id = i.criterion_id
    CROSS JOIN auth_user u
    WHERE u.username IN ({{reviewers}})
"""

# The second stage: one reviewer looks again at one assessment in five, at every other criterion,
# and raises a points criterion by half a point now and then (the latest stage decides).
SECOND_STAGE = f"""
    WITH i AS ({ITEMS})
    SELECT i.assessment_id, i.criterion_id, u.id, 2,
        CASE WHEN c.kind = 'points' AND (i.assessment_id + c.id) %% 3 = 0
                  AND i.self_score + 0.5 <= c.max_points
             THEN i.self_score + 0.5 ELSE i.self_score END
    FROM i
    JOIN campaigns_criterion c ON c.id = i.criterion_id
    CROSS JOIN auth_user u
    WHERE u.username = %(second)s AND i.assessment_id %% 5 = 0 AND c.id %% 2 = 0
"""

CENTS = Decimal("0.01")
# The scores go in for so many assessments at a time (a bounded memory at 10,000 units).
CHUNK = 500

ON_TIME = datetime.datetime(2026, 10, 20, 9, 0, tzinfo=datetime.UTC)
LATE = datetime.datetime(2026, 11, 3, 9, 0, tzinfo=datetime.UTC)
REOPENED_UNTIL = datetime.date(2026, 11, 5)


def submission(i: int) -> datetime.datetime | None:
    """One unit in 50 never submitted; one in 13 submitted late (half of them reopened)."""
    if i % 50 == 7:
        return None
    return LATE if i % 13 == 0 else ON_TIME


WIPE = [
    *(
        f"DELETE FROM {table} WHERE run_id IN "  # noqa: S608 - our own table names
        "(SELECT id FROM scoring_scoringrun WHERE campaign_id = %(c)s)"
        for table in ["scoring_result", "scoring_scoringchunk", "scoring_blockcriteriontotal"]
    ),
    "DELETE FROM scoring_scoringrun WHERE campaign_id = %(c)s",
    "DELETE FROM assessments_criterionscore WHERE assessment_id IN"
    " (SELECT a.id FROM assessments_assessment a JOIN campaigns_enrolment e"
    " ON e.id = a.enrolment_id WHERE e.campaign_id = %(c)s)",
    "DELETE FROM assessments_reviewitem WHERE assessment_id IN"
    " (SELECT a.id FROM assessments_assessment a JOIN campaigns_enrolment e"
    " ON e.id = a.enrolment_id WHERE e.campaign_id = %(c)s)",
    "DELETE FROM assessments_assessmentitem WHERE assessment_id IN (SELECT a.id FROM"
    " assessments_assessment a JOIN campaigns_enrolment e ON e.id = a.enrolment_id"
    " WHERE e.campaign_id = %(c)s)",
    "DELETE FROM assessments_assessmentevent WHERE assessment_id IN (SELECT a.id FROM"
    " assessments_assessment a JOIN campaigns_enrolment e ON e.id = a.enrolment_id"
    " WHERE e.campaign_id = %(c)s)",
    "DELETE FROM assessments_assessment WHERE enrolment_id IN"
    " (SELECT id FROM campaigns_enrolment WHERE campaign_id = %(c)s)",
    "DELETE FROM campaigns_enrolment WHERE campaign_id = %(c)s",
    "DELETE FROM campaigns_campaignevent WHERE campaign_id = %(c)s",
    "UPDATE campaigns_campaign SET checklist_id = NULL WHERE id = %(c)s",
    "DELETE FROM campaigns_criterion WHERE checklist_id IN"
    " (SELECT id FROM campaigns_checklist WHERE campaign_id = %(c)s)",
    "DELETE FROM campaigns_checklist WHERE campaign_id = %(c)s",
    "DELETE FROM campaigns_campaign WHERE id = %(c)s",
]


def wipe(code: str) -> None:
    """Remove an earlier load-test campaign set-wise (the ORM would load every row first)."""
    old = Campaign.objects.filter(code=code).values_list("pk", flat=True).first()
    with connection.cursor() as cursor:
        if old is not None:
            for statement in WIPE:
                cursor.execute(statement, {"c": old})
        cursor.execute(
            "DELETE FROM units_blockmember WHERE block_id IN"
            " (SELECT id FROM units_block WHERE code LIKE %(p)s)",
            {"p": f"{code}-%"},
        )
        cursor.execute("DELETE FROM units_block WHERE code LIKE %(p)s", {"p": f"{code}-%"})
        cursor.execute(
            "DELETE FROM units_unit WHERE code LIKE %(p)s AND parent_id IS NOT NULL",
            {"p": f"{code}-%"},
        )
        cursor.execute("DELETE FROM units_unit WHERE code LIKE %(p)s", {"p": f"{code}-%"})


@transaction.atomic
def generate(*, code: str, units: int, blocks: int, criteria: int, reviewers: int) -> Campaign:
    wipe(code)
    kinds = unit_kinds_ensure()
    authority = Unit.objects.create(
        code=f"{code}-ROOT", name=f"Tỉnh thử tải {code}", kind=kinds["tinh"]
    )
    unit_rows = Unit.objects.bulk_create(
        [
            Unit(
                code=f"{code}-{i:05d}",
                name=f"Xã thử tải {i}",
                search_name=fold(f"Xã thử tải {i}"),
                kind=kinds["xa"],
                parent=authority,
            )
            for i in range(units)
        ],
        batch_size=2000,
    )
    block_rows = Block.objects.bulk_create(
        [Block(code=f"{code}-B{i:03d}", name=f"Khối {i}") for i in range(blocks)]
    )
    checklist = Checklist.objects.create(name=f"Bộ tiêu chí {code}")
    Criterion.objects.bulk_create(
        [
            Criterion(
                checklist=checklist,
                code=str(i + 1),
                title=f"Tiêu chí {i + 1}",
                kind=KINDS[i % len(KINDS)],
                max_points=Decimal(10 if i % 5 else 5),
                critical=i % 20 == 0,
                order=i,
            )
            for i in range(criteria)
        ]
    )
    campaign = Campaign.objects.create(
        code=code,
        title=f"Thử tải {units} đơn vị",
        authority=authority,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        window_opens_on=datetime.date(2026, 10, 1),
        window_closes_on=datetime.date(2026, 10, 31),
        status=CampaignStatus.UNDER_REVIEW,
        checklist=checklist,
    )
    Checklist.objects.filter(pk=checklist.pk).update(campaign=campaign, frozen_at=timezone.now())
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                campaign=campaign,
                unit=unit,
                # One unit in 40 outside every block (it competes on its overall rank).
                block=None if i % 40 == 3 else block_rows[i % blocks],
                reopened_until=REOPENED_UNTIL if i % 26 == 0 else None,
                reopen_reason="Bão lũ" if i % 26 == 0 else "",
            )
            for i, unit in enumerate(unit_rows)
        ],
        batch_size=2000,
    )
    Assessment.objects.bulk_create(
        [
            Assessment(
                enrolment=e,
                status=AssessmentStatus.DRAFT if at is None else AssessmentStatus.SUBMITTED,
                submitted_at=at,
                last_submitted_at=at,
            )
            for i, e in enumerate(enrolments)
            for at in [submission(i)]
        ],
        batch_size=2000,
    )
    names = [f"{code.lower()}-reviewer-{i}" for i in range(reviewers)]
    for name in names:
        User.objects.get_or_create(username=name)
    params: dict[str, object] = {"campaign": campaign.pk, "checklist": checklist.pk}
    params |= {"second": names[0]} | {f"r{n}": name for n, name in enumerate(names)}
    placeholders = ", ".join(f"%(r{n})s" for n in range(len(names)))
    ids = sorted(a.pk for a in Assessment.objects.filter(enrolment__campaign=campaign).only("pk"))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        params |= {"first": chunk[0], "last": chunk[-1]}
        # Through the service, as the system: the stored per-criterion scores, the first review's
        # mark and the campaign's scores version follow (a run planned before fails).
        assessment_scores_bulk_set(
            actor=None,
            campaign=campaign,
            self_scores=[SelfScoreRow(*row) for row in _scores(ITEMS, params)],
            reviews=[
                ReviewScoreRow(*row)
                for query in [REVIEWS.format(reviewers=placeholders), SECOND_STAGE]
                for row in _scores(query, params)
            ],
        )
    if connection.vendor == "postgresql":  # fresh tables: give the planner statistics
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return campaign


def _scores(query: str, params: dict[str, object]) -> list[tuple[object, ...]]:
    """The rows a query works out, their last column a score in hundredths (SQLite gives a
    float)."""
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [(*row[:-1], Decimal(str(row[-1])).quantize(CENTS)) for row in cursor.fetchall()]

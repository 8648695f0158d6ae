"""The per-criterion scores a scoring run reads (`CriterionScore`), kept current by the services.

Every service that writes a self score or a review score calls `criterion_scores_refresh` for
the assessments it touched, in its own transaction, after its rows: the stored rows are then what
`SCORES` computes from the score tables. A run reads one row per criterion and unit instead of
aggregating every reviewer's score at every stage (1.8 million rows at 10,000 units), and
`criterion_scores_drift` recomputes them all for the audit (`score_campaign --audit`).
"""

from collections.abc import Iterable

from django.db import connection

# One row per (assessment, criterion) with a self score or a review score: the self score
# and, at the latest stage that scored the criterion, the sum and count of the review scores, in
# hundredths. Portable SQL (a window for the latest stage; items and reviews joined both ways
# without FULL JOIN). {which} restricts `assessment_id`.
SCORES = """
    WITH rev AS (
        SELECT assessment_id, criterion_id,
               CAST(SUM(cents) AS BIGINT) AS review_cents, COUNT(*) AS reviewers
        FROM (
            SELECT assessment_id, criterion_id, stage,
                   CAST(ROUND(score * 100) AS BIGINT) AS cents,
                   MAX(stage) OVER (PARTITION BY assessment_id, criterion_id) AS latest
            FROM assessments_reviewitem WHERE {which}
        ) staged
        WHERE stage = latest
        GROUP BY assessment_id, criterion_id
    ),
    item AS (
        SELECT assessment_id, criterion_id, CAST(ROUND(self_score * 100) AS BIGINT) AS self_cents
        FROM assessments_assessmentitem WHERE {which} AND self_score IS NOT NULL
    )
    SELECT item.assessment_id, item.criterion_id, item.self_cents, rev.review_cents,
           COALESCE(rev.reviewers, 0) AS reviewers
    FROM item LEFT JOIN rev ON rev.assessment_id = item.assessment_id
                           AND rev.criterion_id = item.criterion_id
    UNION ALL
    SELECT rev.assessment_id, rev.criterion_id, NULL, rev.review_cents, rev.reviewers
    FROM rev WHERE NOT EXISTS (
        SELECT 1 FROM assessments_assessmentitem i
        WHERE i.assessment_id = rev.assessment_id AND i.criterion_id = rev.criterion_id
          AND i.self_score IS NOT NULL)
"""

COLUMNS = "assessment_id, criterion_id, self_cents, review_cents, reviewers"

OF_CAMPAIGN = (
    "assessment_id IN (SELECT a.id FROM assessments_assessment a"
    " JOIN campaigns_enrolment e ON e.id = a.enrolment_id WHERE e.campaign_id = %(campaign)s)"
)

# Refreshing a file's worth of assessments goes by batches of ids (SQLite limits parameters).
BATCH = 500


def _refresh(which: str, params: dict[str, int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM assessments_criterionscore WHERE {which}", params)  # noqa: S608
        cursor.execute(
            f"INSERT INTO assessments_criterionscore ({COLUMNS}) "  # noqa: S608 - our own SQL
            + SCORES.replace("{which}", which),
            params,
        )


def criterion_scores_refresh(assessment_ids: Iterable[int]) -> None:
    """Recompute the stored per-criterion scores of these assessments (in the caller's
    transaction, after it wrote their scores)."""
    ids = sorted(set(assessment_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        names = [f"id{n}" for n in range(len(batch))]
        which = "assessment_id IN (" + ", ".join(f"%({name})s" for name in names) + ")"
        _refresh(which, dict(zip(names, batch, strict=True)))


def criterion_scores_refresh_campaign(campaign_id: int) -> None:
    """Recompute them for every assessment of a campaign (a bulk load, a repair)."""
    _refresh(OF_CAMPAIGN, {"campaign": campaign_id})


def criterion_scores_drift(campaign_id: int) -> int:
    """How many (assessment, criterion) of the campaign have a stored row that differs from a
    full recomputation (missing, extra or different): 0 when every writer kept them current."""
    stored = f"SELECT {COLUMNS} FROM assessments_criterionscore WHERE {OF_CAMPAIGN}"  # noqa: S608
    computed = SCORES.replace("{which}", OF_CAMPAIGN)
    query = (
        "SELECT COUNT(*) FROM ("  # noqa: S608 - our own SQL
        f"SELECT assessment_id, criterion_id FROM ({stored} EXCEPT SELECT * FROM ({computed}) c) x"
        f" UNION SELECT assessment_id, criterion_id FROM (SELECT * FROM ({computed}) c EXCEPT"
        f" {stored}) y) keys"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, {"campaign": campaign_id})
        return int(cursor.fetchone()[0])

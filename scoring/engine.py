"""The scoring rules of docs/domain.md as set-based SQL, exact on PostgreSQL and SQLite alike.

Every score is carried as an integer: hundredths of a point (scores have at most two decimals)
times L, the least common multiple of the reviewer counts, so a reviewers' mean such as 1/3 stays
exact. The final score is 100 × total / base maximum, rounded half-up to hundredths by integer
division: floor((20000·T + B) / 2B). No float ever decides a rank or a band.
"""

import datetime
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from campaigns.models import BANDS_BEST_FIRST, Campaign, Enrolment

from .models import Result


@dataclass(frozen=True)
class Inputs:
    """What a run computes from, fixed when it starts (also the run's inputs summary)."""

    campaign_id: int
    checklist_id: int
    lcm: int
    base_cents: int
    excellent_h: int
    good_h: int
    pass_h: int
    per_block: int
    on_time_before: datetime.datetime
    # The classification rules. A band is its index best first (0 excellent, 1 good, 2 pass,
    # 3 fail); a cap is the best band a condition allows. A limit is in hundredths, -1 for none.
    # The defaults are docs/domain.md's, for a run planned before these settings existed.
    zero_cap: int = 0
    points_cap: int = 1
    yes_no_cap: int = 1
    deduction_cap: int = 1
    bonus_limit_cents: int = -1
    deduction_limit_cents: int = -1
    unsubmitted: str = "not_assessed"

    @property
    def base_l(self) -> int:
        return self.base_cents * self.lcm

    def as_message(self) -> dict[str, Any]:
        """For a task's arguments (JSON)."""
        return {**asdict(self), "on_time_before": self.on_time_before.isoformat()}

    @classmethod
    def from_message(cls, data: dict[str, Any]) -> "Inputs":
        return cls(
            **{**data, "on_time_before": datetime.datetime.fromisoformat(data["on_time_before"])}
        )


@contextmanager
def consistent_view() -> Iterator[None]:
    """Several reads that see one state: a read-only REPEATABLE READ transaction on PostgreSQL
    (unless a transaction is already open); SQLite's transaction sees one state anyway."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _hundredths(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def _limit_cents(value: Decimal | None) -> int:
    return -1 if value is None else _hundredths(value)


LEAVES = """
    SELECT c.id, c.kind, c.critical, CAST(ROUND(c.max_points * 100) AS BIGINT) AS max_c
    FROM campaigns_criterion c
    WHERE c.checklist_id = %(checklist)s
      AND NOT EXISTS (SELECT 1 FROM campaigns_criterion k WHERE k.parent_id = c.id)
"""


def base_maximum_cents(campaign: Campaign) -> int:
    """The sum of the max of the scored points and yes_no criteria, in hundredths."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(SUM(max_c), 0) FROM ({LEAVES}) leaf "
            "WHERE kind IN ('points', 'yes_no')",
            {"checklist": campaign.checklist_id},
        )
        return int(cursor.fetchone()[0])


def inputs_for(campaign: Campaign) -> Inputs:
    """Read the settings, the base maximum and the reviewer-count LCM."""
    base_cents = base_maximum_cents(campaign)
    with connection.cursor() as cursor:
        cursor.execute(REVIEW_COUNTS, {"campaign": campaign.pk})
        counts = [int(row[0]) for row in cursor.fetchall()]
    closes = campaign.window_closes_on + datetime.timedelta(days=1)
    return Inputs(
        campaign_id=campaign.pk,
        checklist_id=campaign.checklist_id or 0,
        lcm=math.lcm(1, *counts),
        base_cents=base_cents,
        excellent_h=_hundredths(campaign.excellent_min),
        good_h=_hundredths(campaign.good_min),
        pass_h=_hundredths(campaign.pass_min),
        per_block=campaign.exemplary_per_block,
        on_time_before=timezone.make_aware(datetime.datetime.combine(closes, datetime.time())),
        zero_cap=BANDS_BEST_FIRST.index(campaign.zero_criterion_cap),
        points_cap=BANDS_BEST_FIRST.index(campaign.critical_cap("points")),
        yes_no_cap=BANDS_BEST_FIRST.index(campaign.critical_cap("yes_no")),
        deduction_cap=BANDS_BEST_FIRST.index(campaign.critical_cap("deduction")),
        bonus_limit_cents=_limit_cents(campaign.bonus_limit),
        deduction_limit_cents=_limit_cents(campaign.deduction_limit),
        unsubmitted=campaign.unsubmitted_band,
    )


# How many reviewers scored a criterion at its latest stage (the stored counts): L is their LCM.
REVIEW_COUNTS = """
    SELECT DISTINCT cs.reviewers FROM assessments_criterionscore cs
    JOIN assessments_assessment a ON a.id = cs.assessment_id
    JOIN campaigns_enrolment e ON e.id = a.enrolment_id
    WHERE e.campaign_id = %(campaign)s AND cs.reviewers > 0
"""


def _limited(kind: str, value: str) -> str:
    """The sum of a unit's `kind` criteria (bonus or deduction), at most the campaign's limit
    (-1: no limit), taken before the final-score formula."""
    total = f"CAST(SUM(CASE WHEN kind = '{kind}' THEN {value} ELSE 0 END) AS BIGINT)"
    limit = f"%({kind}_limit_l)s"
    return f"CASE WHEN {limit} >= 0 AND {total} > {limit} THEN {limit} ELSE {total} END"


def _total(value: str) -> str:
    """Points and yes_no, minus the deductions, plus the bonus, each within its limit."""
    scored = f"CAST(SUM(CASE WHEN kind IN ('points', 'yes_no') THEN {value} ELSE 0 END) AS BIGINT)"
    return f"{scored} - {_limited('deduction', value)} + {_limited('bonus', value)}"


# Each criterion of each submitted unit: its final and self scores in hundredths × L. The final
# score is the mean of the review scores at the latest stage that scored the criterion, else the
# self score, as the services keep them per criterion (`assessments.tallies`). The benchmark's bare
# SQL computes the same cells from the score tables themselves (devtools bench_scoring).
# A chunk reads only its own share: the range of its assessments' ids (a superset of them; the
# join keeps the exact rows), so the database scans a slice of the index.
STORED_CELLS = """
    cell AS (
        SELECT enr.enrolment_id, leaf.id AS criterion_id, leaf.kind, leaf.critical, leaf.max_c,
               COALESCE(cs.self_cents, 0) * %(lcm)s AS self_l,
               CASE WHEN cs.reviewers > 0 THEN cs.review_cents * (%(lcm)s / cs.reviewers)
                    ELSE COALESCE(cs.self_cents, 0) * %(lcm)s END AS final_l
        FROM enr CROSS JOIN leaf
        LEFT JOIN assessments_criterionscore cs
               ON cs.assessment_id = enr.assessment_id AND cs.criterion_id = leaf.id
              AND cs.assessment_id BETWEEN %(a_lo)s AND %(a_hi)s
        WHERE enr.submitted_at IS NOT NULL
    ),
"""

# Per enrolled unit: T (final) and S (self) in hundredths × L, the critical shortfall, and the
# cap: the best band (by index) the critical shortfalls and a criterion at 0 allow. Three parts
# are named by the statement that uses it (`unit_totals`): which enrolments, where the cells come
# from, and how a unit's per-criterion scores are kept.
_UNIT_TOTALS = (
    """
    WITH leaf AS ("""
    + LEAVES
    + """),
    enr AS (
        SELECT e.id AS enrolment_id, e.unit_id, e.block_id, a.id AS assessment_id,
               a.submitted_at
        FROM campaigns_enrolment e
        LEFT JOIN assessments_assessment a ON a.enrolment_id = e.id
        WHERE e.campaign_id = %(campaign)s AND {enrolments}
    ),
{cells}
    totals AS (
        SELECT enrolment_id,
               """
    + _total("final_l")
    + """ AS t,
               """
    + _total("self_l")
    + """ AS s,
               MAX(CASE WHEN critical AND (
                        (kind IN ('points', 'yes_no') AND final_l < max_c * %(lcm)s)
                        OR (kind = 'deduction' AND final_l > 0)) THEN 1 ELSE 0 END) AS shortfall,
               MAX(CASE WHEN NOT critical THEN 0
                        WHEN kind = 'points' AND final_l < max_c * %(lcm)s THEN %(points_cap)s
                        WHEN kind = 'yes_no' AND final_l < max_c * %(lcm)s THEN %(yes_no_cap)s
                        WHEN kind = 'deduction' AND final_l > 0 THEN %(deduction_cap)s
                        ELSE 0 END) AS critical_cap,
               MAX(CASE WHEN kind IN ('points', 'yes_no') AND final_l = 0 THEN %(zero_cap)s
                        ELSE 0 END) AS zero_cap,
               {criteria} AS criteria
        FROM cell GROUP BY enrolment_id
    ),
    scored AS (
        SELECT enr.enrolment_id, enr.unit_id, enr.block_id, enr.submitted_at,
               (20000 * CASE WHEN t.t < 0 THEN 0 ELSE t.t END + %(base_l)s)
                   / (2 * %(base_l)s) AS final_h,
               (20000 * CASE WHEN t.s < 0 THEN 0 ELSE t.s END + %(base_l)s)
                   / (2 * %(base_l)s) AS self_h,
               COALESCE(t.shortfall, 0) AS shortfall,
               CASE WHEN t.zero_cap > t.critical_cap THEN t.zero_cap
                    ELSE COALESCE(t.critical_cap, 0) END AS cap,
               t.criteria
        FROM enr LEFT JOIN totals t ON t.enrolment_id = enr.enrolment_id
    )
"""
)

# The band of the score, lowered to the cap. A unit that never submitted is 'not_assessed' or,
# where the campaign says so (Cần Thơ 2025), 'fail'; either way docs/domain.md's "no score, no rank;
# review scores given to it are ignored" holds: its scores stay empty and RANK skips it.
BAND = """
    CASE WHEN s.submitted_at IS NULL THEN %(unsubmitted)s
         WHEN s.final_h >= %(excellent_h)s AND s.cap = 0 THEN 'excellent'
         WHEN s.final_h >= %(good_h)s AND s.cap <= 1 THEN 'good'
         WHEN s.final_h >= %(pass_h)s AND s.cap <= 2 THEN 'pass'
         ELSE 'fail' END
"""


def unit_totals(*, enrolments: str, cells: str, criteria: str) -> str:
    """The `scored` rows (one per enrolled unit) for the enrolments matching `enrolments` (a
    condition on `e`), with cells from `cells` (a `cell` CTE) and `criteria` the expression that
    keeps a unit's per-criterion scores. Values are always parameters (`params`), never text."""
    return (
        _UNIT_TOTALS.replace("{enrolments}", enrolments)
        .replace("{cells}", cells)
        .replace("{criteria}", criteria)
    )


# Each unit's criteria with their final scores, kept on its result (`Result.criteria`).
CRITERIA_AGG = {
    "postgresql": "jsonb_object_agg(CAST(criterion_id AS TEXT), final_l)",
    "sqlite": "json_group_object(CAST(criterion_id AS TEXT), final_l)",
}

# A chunk's results, from the stored per-criterion scores of its enrolments: one statement per
# database, since each keeps the per-criterion scores with its own JSON aggregate.
_INSERT_RESULTS = (
    """
    INSERT INTO scoring_result (run_id, enrolment_id, unit_id, block_id, unit_code, unit_name,
        block_code, self_score, final_score, rank, block_rank, classification, exemplary,
        critical_shortfall, on_time, criteria)
    SELECT %(run)s, s.enrolment_id, s.unit_id, s.block_id, u.code, u.name,
           COALESCE(b.code, ''),
           CASE WHEN s.submitted_at IS NULL THEN NULL ELSE s.self_h / 100.0 END,
           CASE WHEN s.submitted_at IS NULL THEN NULL ELSE s.final_h / 100.0 END,
           NULL, NULL, """
    + BAND
    + """,
           FALSE,
           CASE WHEN s.shortfall = 1 THEN TRUE ELSE FALSE END,
           CASE WHEN s.submitted_at < %(on_time_before)s THEN TRUE ELSE FALSE END,
           COALESCE(s.criteria, '{}')
    FROM scored s
    JOIN units_unit u ON u.id = s.unit_id
    LEFT JOIN units_block b ON b.id = s.block_id
"""
)
INSERT_CHUNK = {
    vendor: unit_totals(
        enrolments="e.id BETWEEN %(lo)s AND %(hi)s", cells=STORED_CELLS, criteria=aggregate
    )
    + _INSERT_RESULTS
    for vendor, aggregate in CRITERIA_AGG.items()
}

# Standard competition ranks overall and per block, and the leading-unit flags, in one pass.
RANK = """
    UPDATE scoring_result SET rank = x.r, block_rank = x.br,
        exemplary = CASE WHEN classification = 'excellent' AND NOT critical_shortfall
                              AND on_time AND COALESCE(x.br, x.r) <= %(per_block)s
                         THEN TRUE ELSE FALSE END
    FROM (
        SELECT id, RANK() OVER (ORDER BY final_score DESC) AS r,
               CASE WHEN block_id IS NULL THEN NULL
                    ELSE RANK() OVER (PARTITION BY block_id ORDER BY final_score DESC) END AS br
        FROM scoring_result WHERE run_id = %(run)s AND final_score IS NOT NULL
    ) x
    WHERE scoring_result.run_id = %(run)s AND scoring_result.id = x.id
"""


def _limit_l(cents: int, lcm: int) -> int:
    return -1 if cents < 0 else cents * lcm


def params(inputs: Inputs, **extra: Any) -> dict[str, Any]:
    return {
        "campaign": inputs.campaign_id,
        "checklist": inputs.checklist_id,
        "lcm": inputs.lcm,
        "base_l": inputs.base_l,
        "excellent_h": inputs.excellent_h,
        "good_h": inputs.good_h,
        "pass_h": inputs.pass_h,
        "per_block": inputs.per_block,
        "on_time_before": connection.ops.adapt_datetimefield_value(inputs.on_time_before),
        "zero_cap": inputs.zero_cap,
        "points_cap": inputs.points_cap,
        "yes_no_cap": inputs.yes_no_cap,
        "deduction_cap": inputs.deduction_cap,
        "bonus_limit_l": _limit_l(inputs.bonus_limit_cents, inputs.lcm),
        "deduction_limit_l": _limit_l(inputs.deduction_limit_cents, inputs.lcm),
        "unsubmitted": inputs.unsubmitted,
        **extra,
    }


def compute_chunk(*, run_id: int, inputs: Inputs, lo: int, hi: int) -> int:
    """Write the results of the enrolments with ids lo..hi (no ranks yet); safe to repeat."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM scoring_result WHERE run_id = %s AND enrolment_id BETWEEN %s AND %s",
            [run_id, lo, hi],
        )
        cursor.execute(
            "SELECT COALESCE(MIN(a.id), 0), COALESCE(MAX(a.id), -1)"
            " FROM assessments_assessment a JOIN campaigns_enrolment e ON e.id = a.enrolment_id"
            " WHERE e.campaign_id = %s AND e.id BETWEEN %s AND %s",
            [inputs.campaign_id, lo, hi],
        )
        a_lo, a_hi = cursor.fetchone()
        cursor.execute(
            INSERT_CHUNK[connection.vendor],
            params(inputs, run=run_id, lo=lo, hi=hi, a_lo=a_lo, a_hi=a_hi),
        )
        written = cursor.rowcount
    _reopened_on_time(run_id=run_id, campaign_id=inputs.campaign_id, lo=lo, hi=hi)
    return written


def _reopened_on_time(*, run_id: int, campaign_id: int, lo: int, hi: int) -> None:
    """The SQL above judges "on time" by the window's close; the units whose window was reopened
    are judged again by the one rule (`Enrolment.submitted_on_time`), in two updates."""
    reopened = Enrolment.objects.filter(
        campaign_id=campaign_id, pk__range=(lo, hi), reopened_until__isnull=False
    ).select_related("campaign", "assessment")
    verdicts: dict[bool, list[int]] = {True: [], False: []}
    for enrolment in reopened:
        assessment = getattr(enrolment, "assessment", None)
        on_time = enrolment.submitted_on_time(assessment.submitted_at if assessment else None)
        verdicts[on_time].append(enrolment.pk)
    for on_time, ids in verdicts.items():
        if ids:
            Result.objects.filter(run_id=run_id, enrolment_id__in=ids).update(on_time=on_time)


# Each block's sum of each criterion over its assessed units, from the results' criteria.
BLOCK_TOTALS = {
    vendor: f"""
    INSERT INTO scoring_blockcriteriontotal (run_id, block_id, criterion_id, total_l, units)
    SELECT r.run_id, r.block_id, CAST(c.key AS BIGINT), SUM(CAST({value} AS BIGINT)), COUNT(*)
    FROM scoring_result r, {each}(r.criteria) c
    WHERE r.run_id = %(run)s AND r.block_id IS NOT NULL AND r.final_score IS NOT NULL
    GROUP BY r.run_id, r.block_id, c.key
"""
    for vendor, each, value in [
        ("postgresql", "jsonb_each_text", "c.value"),
        ("sqlite", "json_each", "c.value"),
    ]
}


def rank_run(*, run_id: int, inputs: Inputs) -> None:
    """Standard competition ranks overall and per block, then the exemplary flags."""
    with connection.cursor() as cursor:
        hash_join = connection.vendor == "postgresql" and connection.in_atomic_block
        if hash_join:
            # The chunks just wrote these rows and the statistics do not know them yet: the
            # planner would join the ranking back row by row (a minute at 10,000 units). A hash
            # join for this one statement costs nothing, where an ANALYZE took a second.
            cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(RANK, {"run": run_id, "per_block": inputs.per_block})
        if hash_join:
            cursor.execute("SET LOCAL enable_nestloop TO DEFAULT")
        cursor.execute(BLOCK_TOTALS[connection.vendor], {"run": run_id})


def enrolment_ranges(campaign_id: int, chunk_size: int) -> list[tuple[int, int]]:
    """Split the campaign's enrolment ids into consecutive ranges of about chunk_size units."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM campaigns_enrolment WHERE campaign_id = %s ORDER BY id", [campaign_id]
        )
        ids = [row[0] for row in cursor.fetchall()]
    return [
        (ids[i], ids[min(i + chunk_size, len(ids)) - 1]) for i in range(0, len(ids), chunk_size)
    ]


# One term per input that can move a result: each self score, each review score (with its stage),
# and each enrolment's block, submission, on-time and reopened state. Each term hashes its row, so
# two edits that keep a sum (8 → 9 here, 9 → 8 there) do not cancel out. PostgreSQL has a fast
# integer hash (`hashint8`, half the time of the portable arithmetic); SQLite squares the row's
# key modulo a prime in plain integer SQL.
MIX = {
    "postgresql": "CAST(hashint8({k}) AS BIGINT)",
    "sqlite": "(({k}) %% 2147483647) * (({k}) %% 2147483647) %% 2147483647",
}


def _checksum(vendor: str) -> str:
    mix = MIX[vendor]
    item = mix.format(
        k="i.id * 1000003 + i.criterion_id * 7919 + 12345"
        " + COALESCE(CAST(ROUND(i.self_score * 100) AS BIGINT), 999999) * 104729"
    )
    review = mix.format(
        k="r.id * 1000003 + r.criterion_id * 7919 + r.stage * 37 + 54321"
        " + CAST(ROUND(r.score * 100) AS BIGINT) * 104729"
    )
    unit = mix.format(
        k="enrolment_id * 1000003 + COALESCE(block_id, 0) * 7919 + 98765"
        " + CASE WHEN submitted_at IS NULL THEN 0"
        " WHEN submitted_at < %(on_time_before)s THEN 104729 ELSE 209458 END"
        " + CASE WHEN reopened_until IS NULL THEN 0 ELSE 37 END"
    )
    return f"""
    WITH enr AS (
        SELECT e.id AS enrolment_id, e.block_id, e.reopened_until, a.id AS assessment_id,
               a.submitted_at
        FROM campaigns_enrolment e LEFT JOIN assessments_assessment a ON a.enrolment_id = e.id
        WHERE e.campaign_id = %(campaign)s
    ),
    items AS (
        SELECT COUNT(*) AS n, COALESCE(SUM({item}), 0) AS s
        FROM assessments_assessmentitem i JOIN enr ON enr.assessment_id = i.assessment_id
    ),
    reviews AS (
        SELECT COUNT(*) AS n, COALESCE(SUM({review}), 0) AS s
        FROM assessments_reviewitem r JOIN enr ON enr.assessment_id = r.assessment_id
    ),
    units AS (
        SELECT COUNT(*) AS n, COALESCE(SUM({unit}), 0) AS s FROM enr
    )
    SELECT units.n, units.s, items.n, items.s, reviews.n, reviews.s FROM units, items, reviews
"""  # noqa: S608 - our own SQL


CHECKSUM = {vendor: _checksum(vendor) for vendor in MIX}

LEAF_COUNT = f"SELECT COUNT(*) FROM ({LEAVES}) leaf"


def inputs_summary(inputs: Inputs, scores_version: int) -> dict[str, object]:
    """What a run computes from, kept on the run when it is planned: the campaign's scores
    version (compared at the finish), the number of criteria and the base maximum."""
    with connection.cursor() as cursor:
        cursor.execute(LEAF_COUNT, {"checklist": inputs.checklist_id})
        criteria = int(cursor.fetchone()[0])
    return {
        "scores_version": scores_version,
        "criteria": criteria,
        "base_maximum": str(Decimal(inputs.base_cents) / 100),
    }


def inputs_checksum(inputs: Inputs) -> dict[str, int]:
    """The audit of the scores version (`score_campaign CODE --audit`): counts, and checksums that
    change with any score, stage, block or submission (but for odds of about 1 in 2^31 per
    change), so a write that skipped `campaigns.services.scores_touched` shows. A full read of
    the inputs (about a second at 10,000 units): runs compare the version instead."""
    with connection.cursor() as cursor:
        cursor.execute(CHECKSUM[connection.vendor], params(inputs))
        row = cursor.fetchone()
    names = ["units", "units_sum", "self_scores", "self_sum", "review_scores", "review_sum"]
    return {name: int(value) for name, value in zip(names, row, strict=True)}

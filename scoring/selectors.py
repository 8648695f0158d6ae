"""Reads for runs, rankings, charts and the public pages."""

from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, QuerySet, Sum, Value, When
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, AssessmentStatus
from campaigns.models import (
    BANDS_BEST_FIRST,
    SCORED_KINDS,
    Campaign,
    Criterion,
    CriterionKind,
)
from units.models import Block

from . import engine
from .models import BlockCriterionTotal, Classification, Result, RunStatus, ScoringRun


def published_run(campaign: Campaign) -> ScoringRun | None:
    return campaign.scoring_runs.filter(is_published=True).first()


def run_number(run: ScoringRun) -> int:
    """A run's number within its campaign ("Lần tính điểm thứ N"), not the global id."""
    return ScoringRun.objects.filter(campaign_id=run.campaign_id, pk__lte=run.pk).count()


def run_to_show(campaign: Campaign, wanted: object = None) -> ScoringRun | None:
    """The one rule for which run a page, an export or the council reads: the finished run asked
    for (`?run=<pk>`), else the published run, else the latest finished one."""
    done = ScoringRun.objects.filter(campaign=campaign, status=RunStatus.SUCCEEDED)
    asked = str(wanted) if wanted is not None else ""
    chosen = done.filter(pk=int(asked)).first() if asked.isdigit() and len(asked) < 10 else None
    return chosen or published_run(campaign) or done.order_by("-finished_at", "-pk").first()


def result_list(run: ScoringRun) -> QuerySet[Result]:
    """A run's results in rank order, for the lists: without each unit's per-criterion scores
    (`Result.criteria`, as many entries as the checklist has criteria), which only a unit's own
    page reads."""
    return (
        run.results.select_related("block")
        .defer("criteria")
        .order_by(F("rank").asc(nulls_last=True), "unit_name")
    )


CENT = Decimal("0.01")


def criterion_scores(result: Result) -> dict[int, tuple[Decimal, Decimal | None]]:
    """{criterion id: (the unit's final score, its block's average)} as the run computed them:
    two small reads, whatever the campaign's size."""
    scale = Decimal(100 * int(result.run.inputs.get("lcm", 1)))
    averages: dict[int, Decimal] = {}
    if result.block_id is not None:
        totals = BlockCriterionTotal.objects.filter(run_id=result.run_id, block_id=result.block_id)
        averages = {
            criterion: (Decimal(total) / (scale * units)).quantize(CENT)
            for criterion, total, units in totals.values_list("criterion_id", "total_l", "units")
        }
    return {
        int(key): ((Decimal(value) / scale).quantize(CENT), averages.get(int(key)))
        for key, value in result.criteria.items()
    }


HISTOGRAM_EDGES = list(range(0, 101, 10))


def run_tallies(run: ScoringRun) -> dict[str, Any]:
    """The run's score histogram (10-point bins, 100+ last), each block's code, count and sum of
    scores, and the ids of its blocks, from one pass over its results grouped by block and bin
    (and one for the blocks of unscored units). Kept on the run when it finishes."""
    bucket = Case(
        *[
            When(final_score__lt=edge + 10, then=Value(i))
            for i, edge in enumerate(HISTOGRAM_EDGES[:-1])
        ],
        default=Value(10),
    )
    groups = (
        run.results.filter(final_score__isnull=False)
        .annotate(bucket=bucket)
        .values_list("block_id", "block_code", "bucket")
        .annotate(n=Count("pk"), total=Sum("final_score"))
        .order_by()
    )
    bins = [0] * 11
    blocks: dict[str, list[Any]] = {}  # block id: [its code in the run, units, sum of scores]
    for block_id, code, i, n, total in groups:
        bins[i] += n
        if block_id is not None:
            block = blocks.setdefault(str(block_id), [code, 0, Decimal(0)])
            block[1] += n
            block[2] += total
    unscored = run.results.filter(final_score__isnull=True, block__isnull=False)
    block_ids = {int(pk) for pk in blocks} | set(
        unscored.values_list("block_id", flat=True).distinct().order_by()
    )
    return {
        "bins": bins,
        # sums as text with two decimals, whatever the database's own (SQLite's 175 for 175.00)
        "blocks": {pk: [code, n, f"{total:.2f}"] for pk, (code, n, total) in blocks.items()},
        "block_ids": sorted(block_ids),
    }


def _tallies(run: ScoringRun) -> dict[str, Any]:
    """Kept on the run since it finished; computed for a run from before they were kept."""
    return run.tallies or run_tallies(run)


def run_block_ids(run: ScoringRun) -> list[int]:
    """The blocks of the run's units (the rankings' block filter)."""
    return list(_tallies(run)["block_ids"])


def result_charts(run: ScoringRun) -> dict[str, object]:
    """The score distribution and each block's average, from the run's tallies, with the
    blocks' names as they are now (1 query)."""
    tallies = _tallies(run)
    blocks = tallies["blocks"]
    names = Block.objects.filter(pk__in=[int(pk) for pk in blocks]).order_by("name", "code")
    rows = [(str(pk), name) for pk, name in names.values_list("pk", "name")]
    return {
        "histogram": {
            "labels": [f"{edge}–{edge + 10}" for edge in HISTOGRAM_EDGES[:-1]] + ["≥100"],
            "counts": tallies["bins"],
        },
        "blocks": {
            "labels": [name or blocks[pk][0] for pk, name in rows],
            "averages": [round(float(Decimal(blocks[pk][2]) / blocks[pk][1]), 2) for pk, _ in rows],
        },
    }


def public_campaigns() -> QuerySet[Campaign]:
    """Campaigns with published results, for the page anyone can read."""
    return (
        Campaign.objects.filter(scoring_runs__is_published=True)
        .select_related("authority")
        .order_by("-ends_on")
    )


def exemplary_reasons(result: Result, campaign: Campaign) -> list[tuple[str, bool]]:
    """Why a unit was or was not flagged: each condition of docs/domain.md and whether it holds."""
    if result.final_score is None:  # never submitted, whatever its band
        return [(str(_("Đã nộp bản tự chấm điểm")), False)]
    per_block = campaign.exemplary_per_block
    if result.block_id is not None:
        rank_text = _("Hạng trong khối %(rank)s, không quá %(n)s") % {
            "rank": result.block_rank,
            "n": per_block,
        }
        rank_ok = (result.block_rank or 0) <= per_block
    else:
        rank_text = _("Không thuộc khối: hạng chung %(rank)s, không quá %(n)s") % {
            "rank": result.rank,
            "n": per_block,
        }
        rank_ok = (result.rank or 0) <= per_block
    return [
        (str(_("Xếp loại Hoàn thành xuất sắc")), result.classification == Classification.EXCELLENT),
        (str(_("Không vi phạm tiêu chí bắt buộc")), not result.critical_shortfall),
        (
            str(
                _("Nộp đúng hạn (trước hoặc trong ngày %(day)s)")
                % {"day": campaign.window_closes_on.strftime("%d/%m/%Y")}
            ),
            result.on_time,
        ),
        (str(rank_text), rank_ok),
    ]


def band_reasons(result: Result) -> list[str]:
    """Why the unit's band is below the one its score reaches: each of the run's rules that
    lowered it (a critical criterion missed, a criterion at 0), naming the criterion. Read from
    the run's snapshot (`Result.criteria` and the rules in `run.inputs`, exact) as the engine
    compared them; empty when the score alone decided."""
    band = result.band_by_score
    if band is None or band == result.classification:  # no score, or the score alone decided
        return []
    reached = BANDS_BEST_FIRST.index(band)
    inputs = engine.Inputs.from_message(result.run.inputs)
    critical_caps: dict[str, int] = {
        CriterionKind.POINTS: inputs.points_cap,
        CriterionKind.YES_NO: inputs.yes_no_cap,
        CriterionKind.DEDUCTION: inputs.deduction_cap,
    }
    values = {int(key): int(value) for key, value in result.criteria.items()}
    reasons = []
    for criterion in Criterion.objects.filter(pk__in=values).order_by("order", "pk"):
        value, top = values[criterion.pk], int(criterion.max_points * 100) * inputs.lcm
        names = {"code": criterion.code, "title": criterion.title}
        missed = (criterion.kind in SCORED_KINDS and value < top) or (
            criterion.kind == CriterionKind.DEDUCTION and value > 0
        )
        cap = critical_caps.get(criterion.kind) if criterion.critical and missed else None
        if cap is not None and cap > reached:
            reasons.append(
                _("Chưa đạt tiêu chí bắt buộc %(code)s. %(title)s: xếp loại tối đa %(band)s.")
                % {**names, "band": BANDS_BEST_FIRST[cap].label}
            )
        if criterion.kind in SCORED_KINDS and value == 0 and inputs.zero_cap > reached:
            reasons.append(
                _("Tiêu chí %(code)s. %(title)s được 0 điểm: xếp loại tối đa %(band)s.")
                % {**names, "band": BANDS_BEST_FIRST[inputs.zero_cap].label}
            )
    return reasons


def runs_compare(older: ScoringRun, newer: ScoringRun) -> list[dict[str, Any]]:
    """Who moved between two runs, and by how much (one query per run)."""
    before = {r.enrolment_id: r for r in older.results.all()}
    moves = []
    for result in newer.results.order_by("rank", "unit_name"):
        old = before.get(result.enrolment_id)
        old_score = old.final_score if old else None
        if old is None or old.rank != result.rank or old_score != result.final_score:
            delta = (
                result.final_score - old_score
                if result.final_score is not None and old_score is not None
                else None
            )
            moves.append(
                {
                    "unit": result.unit_name,
                    "old_rank": old.rank if old else None,
                    "new_rank": result.rank,
                    "old_score": old_score,
                    "new_score": result.final_score,
                    "delta": delta,
                }
            )
    return moves


def run_numbers(campaign: Campaign) -> dict[int, int]:
    """Every run's number within its campaign, by id (one query for a whole list of runs)."""
    ids = ScoringRun.objects.filter(campaign=campaign).order_by("pk").values_list("pk", flat=True)
    return {pk: n for n, pk in enumerate(ids, start=1)}


def finished_run_ids(campaign: Campaign) -> list[int]:
    """The ids of the campaign's finished runs, newest first (the runs page compares two)."""
    return list(
        campaign.scoring_runs.filter(status=RunStatus.SUCCEEDED)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )


def _unreviewed(campaign: Campaign) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        enrolment__campaign=campaign,
        submitted_at__isnull=False,
        status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED],
    )


def _names(assessments: QuerySet[Assessment]) -> "QuerySet[Assessment, str]":
    return assessments.order_by("enrolment__unit__name").values_list(
        "enrolment__unit__name", flat=True
    )


def never_submitted(campaign: Campaign) -> int:
    """How many enrolled units never submitted a self-assessment: their public row says “Chưa
    đánh giá”."""
    return campaign.enrolments.filter(assessment__submitted_at__isnull=True).count()


def has_unreviewed(campaign: Campaign) -> bool:
    """Whether a submitted self-assessment still waits for the council (waiting for review, or
    returned for revision): a run made now is provisional."""
    return _unreviewed(campaign).exists()


def unreviewed_named(campaign: Campaign, shown: int = 20) -> tuple[int, str]:
    """How many units are not reviewed yet, and a sentence naming the first `shown` of them
    ("A, B, … và 9.780 đơn vị khác"), for a message or the history, whatever the size."""
    count, names = unreviewed_first(campaign, shown)
    text = ", ".join(names)
    if count > len(names):
        text += str(_(" và %(n)s đơn vị khác")) % {"n": number_format(count - len(names))}
    return count, text


def unreviewed_first(campaign: Campaign, shown: int = 20) -> tuple[int, list[str]]:
    """How many units are not reviewed yet (`has_unreviewed`), and the first `shown` of them by
    name: a page names a few and counts the rest, whatever the campaign's size (two queries;
    the count reads no unit names)."""
    units = _unreviewed(campaign)
    return units.count(), list(_names(units)[:shown])

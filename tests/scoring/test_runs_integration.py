"""Scoring through the real broker and worker processes: chunked and single runs agree."""

import pytest

from scoring import services as runs
from scoring.models import RunStatus, ScoringRun
from tests.conftest import wait_for
from tests.scoring.scoring_cases import Case

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def run_through_worker(case: Case) -> dict[str, tuple[object, ...]]:
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    assert wait_for(lambda: not ScoringRun.objects.get(pk=run.pk).is_active, timeout=60)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    return {
        r.unit_name: (r.final_score, r.rank, r.block_rank, r.exemplary) for r in run.results.all()
    }


def test_chunks_on_two_worker_processes_match_a_single_chunk(
    celery_queue: str, settings: object
) -> None:
    case = Case().criterion("1").criterion("2", kind="deduction", max_points="5")
    for i in range(24):
        case.unit(f"Xã {i:02d}", {"1": str(i % 11), "2": str(i % 3)}, block=f"K{i % 4}")
    case.review("Xã 05", "1", "4", "4.5", "5")
    settings.SCORING_CHUNK_SIZE = 1000  # type: ignore[attr-defined]
    single = run_through_worker(case)
    settings.SCORING_CHUNK_SIZE = 5  # type: ignore[attr-defined]
    chunked = run_through_worker(case)
    assert ScoringRun.objects.order_by("pk").last().chunks_total == 5  # type: ignore[union-attr]
    assert chunked == single

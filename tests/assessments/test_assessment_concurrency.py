"""Two people saving the same assessment at the same moment, on PostgreSQL's real row locks.

Each thread has its own database connection; a barrier releases both writes together. The version
guard (a conditional UPDATE) must let exactly one through and refuse the other with the change it
would have overwritten.
"""

import threading
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection

from assessments import services
from assessments.models import AssessmentStatus
from tests.assessments.conftest import World, build_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def race(*writes: Callable[[], object]) -> list[object]:
    """Run each write in its own thread with its own connection, all released at once."""
    barrier = threading.Barrier(len(writes))
    outcomes: list[object] = [None] * len(writes)

    def run(index: int, write: Callable[[], object]) -> None:
        try:
            outcomes[index] = write(barrier)  # type: ignore[call-arg]
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(writes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a write never finished"
    return outcomes


def save_at(world: World, user: User, version: int, score: str) -> Callable[[object], object]:
    def write(barrier: threading.Barrier) -> object:
        actor = User.objects.get(pk=user.pk)
        assessment = world.assessment()  # loaded on this thread's connection
        barrier.wait(timeout=30)
        return services.assessment_save_draft(
            actor=actor,
            assessment=assessment,
            version=version,
            entries=world.entries({"1.1": score}),
        )

    return write


def test_two_saves_from_the_same_version_let_exactly_one_through(media_root: object) -> None:
    world = build_world()
    world.save({"1.1": "5"})
    start = world.assessment().version

    outcomes = race(
        save_at(world, world.head_a, start, "8"),
        save_at(world, world.staff_a, start, "9"),
    )

    refused = [o for o in outcomes if isinstance(o, services.ConcurrentEditError)]
    saved = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    final = world.assessment()
    assert final.version == start + 1
    winner_score = "8" if outcomes[0] in saved else "9"
    assert str(final.items.get().self_score.normalize()) == winner_score
    assert [(c.criterion.code, c.new_value) for c in refused[0].changes] == [("1.1", winner_score)]
    assert final.events.count() == 2  # the first save and the winner's, not the loser's


def test_a_submit_racing_a_save_from_the_same_version_never_lets_both_through(
    media_root: object,
) -> None:
    world = build_world()
    start = world.complete().version

    def submit(barrier: threading.Barrier) -> object:
        actor = User.objects.get(pk=world.head_a.pk)
        assessment = world.assessment()
        barrier.wait(timeout=30)
        return services.assessment_submit(actor=actor, assessment=assessment, version=start)

    outcomes = race(submit, save_at(world, world.staff_a, start, "9"))

    assert sum(not isinstance(o, Exception) for o in outcomes) == 1, outcomes
    assert all(
        isinstance(o, services.ConcurrentEditError) for o in outcomes if isinstance(o, Exception)
    ), outcomes
    final = world.assessment()
    assert final.version == start + 1
    if isinstance(outcomes[0], Exception):  # the save won: still a draft, with its score
        assert final.status == AssessmentStatus.DRAFT
        assert final.items.get(criterion=world.criterion("1.1")).self_score == 9
    else:  # the submit won: the submitted scores are the ones that were checked
        assert final.status == AssessmentStatus.SUBMITTED
        assert final.items.get(criterion=world.criterion("1.1")).self_score == 8

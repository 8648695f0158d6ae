"""Two documents issued at the same moment on PostgreSQL's real row locks: the register's
allocation locks the authority's profile first, so they get two numbers, never the same one."""

import datetime
import threading

import pytest
from django.db import connection

from tests.factories import UnitFactory, authority_profile_of
from units import services
from units.models import IssuedDocument, Unit

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_two_issues_at_once_get_two_numbers() -> None:
    authority = UnitFactory(name="Xã Kiên Lương")
    authority_profile_of(authority)
    barrier = threading.Barrier(4)
    outcomes: list[object] = []

    def issue() -> None:
        try:
            unit = Unit.objects.get(pk=authority.pk)  # on this thread's connection
            barrier.wait(timeout=30)
            document = services.document_number_allocate(
                actor=None,
                authority=unit,
                doc_type="QĐ",
                issued_on=datetime.date(2026, 6, 5),
                subject="Khen thưởng",
            )
            outcomes.append(document.number)
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an issue never finished"
    assert all(isinstance(number, int) for number in outcomes), outcomes
    assert sorted(outcomes) == [1, 2, 3, 4]  # type: ignore[type-var]
    numbers = IssuedDocument.objects.values_list("number", flat=True)
    assert sorted(numbers) == [1, 2, 3, 4]

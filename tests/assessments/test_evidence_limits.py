"""All evidence of one self-assessment together stays under ASSESSMENT_EVIDENCE_MAX_BYTES."""

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Evidence
from tests.assessments.conftest import World
from tests.campaigns.test_services import PDF

pytestmark = pytest.mark.django_db


def test_a_file_that_would_pass_the_assessments_total_is_refused(
    world: World, settings: object
) -> None:
    settings.ASSESSMENT_EVIDENCE_MAX_BYTES = 2 * len(PDF)  # type: ignore[attr-defined]
    world.attach("1.1")
    world.attach("1.2")
    with pytest.raises(ValidationError, match="Tổng dung lượng minh chứng"):
        world.attach("1.1", name="them.pdf")
    assert Evidence.objects.count() == 2


def test_another_units_evidence_does_not_count_against_the_total(
    world: World, settings: object
) -> None:
    settings.ASSESSMENT_EVIDENCE_MAX_BYTES = len(PDF)  # type: ignore[attr-defined]
    world.attach("1.1")
    world.attach("1.1", unit=world.unit_b)
    assert Evidence.objects.count() == 2

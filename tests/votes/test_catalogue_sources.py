"""Every number of the award catalogue and the salary table carries where it was read, and is
marked verified only when it was read in the legal text itself (docs/domain-law.md)."""

import pytest
from django.db import models

from votes.catalogue import BASE_SALARIES, MULTIPLE_VERIFIED, THRESHOLD_VERIFIED
from votes.models import Award, BaseSalary

pytestmark = pytest.mark.django_db

SOURCES = {Award: ["level_source", "threshold_source", "multiple_source"], BaseSalary: ["source"]}


def test_every_source_fits_its_column_and_names_an_article_or_says_it_is_unchecked() -> None:
    for model, names in SOURCES.items():
        for name in names:
            field = model._meta.get_field(name)
            assert isinstance(field, models.CharField)
            assert field.max_length is not None
            for value in model._default_manager.values_list(name, flat=True):
                assert value and len(value) <= field.max_length  # PostgreSQL refuses longer
                assert "Điều" in value or "chưa đối chiếu" in value or "docs/domain.md" in value


def test_the_verified_marks_are_the_catalogues_and_none_rests_on_a_press_report() -> None:
    awards = Award.objects.all()
    assert {a.name for a in awards if a.threshold_verified} == THRESHOLD_VERIFIED
    assert {a.name for a in awards if a.multiple_verified} == MULTIPLE_VERIFIED
    salaries = dict(BaseSalary.objects.values_list("valid_from", "verified"))
    assert salaries == {valid_from: verified for _a, valid_from, _s, verified in BASE_SALARIES}
    reported = [a for a in awards if "Dân trí" in a.multiple_source]
    assert reported and not any(a.multiple_verified for a in reported)
    giay_khen = Award.objects.get(name="Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã")
    assert "Điều 80 khoản 3" in giay_khen.level_source  # read in the 2022 gazette

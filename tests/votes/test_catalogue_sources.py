"""Every number of the award catalogue and the salary table carries where it was read, and is
marked verified only when it was read in the legal text itself (docs/domain-law.md): no number
of the catalogue is, since ../shared/LAW.md read NĐ 152/2025 in a third party's copy."""

import pytest
from django.db import models

from votes.catalogue import BASE_SALARIES
from votes.models import Award, AwardTerm, BaseSalary

pytestmark = pytest.mark.django_db

SOURCES = {
    AwardTerm: ["level_source", "threshold_source", "multiple_source"],
    BaseSalary: ["source"],
}


def test_every_source_fits_its_column_and_names_an_article_or_says_it_is_unchecked() -> None:
    for model, names in SOURCES.items():
        for name in names:
            field = model._meta.get_field(name)
            assert isinstance(field, models.CharField)
            assert field.max_length is not None
            for value in model._default_manager.values_list(name, flat=True):
                assert value and len(value) <= field.max_length, value  # PostgreSQL refuses longer
                assert (
                    "Điều" in value
                    or "chưa đối chiếu" in value
                    or "chưa đọc" in value
                    or "không tìm thấy" in value
                ), value


def test_the_verified_marks_are_the_catalogues_and_none_rests_on_a_copy_or_a_report() -> None:
    terms = AwardTerm.objects.all()
    assert terms and not any(t.threshold_verified or t.multiple_verified for t in terms)
    salaries = dict(BaseSalary.objects.values_list("valid_from", "verified"))
    assert salaries == {valid_from: verified for _a, valid_from, _s, verified in BASE_SALARIES}
    giay_khen = Award.objects.get(name="Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã")
    assert all("Điều 80 khoản 3" in t.level_source for t in giay_khen.terms.all())


def test_every_award_has_a_code_and_periods_that_follow_each_other() -> None:
    for award in Award.objects.prefetch_related("terms"):
        assert award.code
        terms = list(award.terms.all())
        assert terms[0].valid_from is None or award.code == "GK_HUYEN"
        for before, after in zip(terms, terms[1:], strict=False):
            assert before.valid_to is not None and after.valid_from is not None
            assert (after.valid_from - before.valid_to).days == 1, award.name

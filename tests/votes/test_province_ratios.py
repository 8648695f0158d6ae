"""The province's own ratios (LAW.md W3-W5; docs/domain.md, council votes): a province's
regulation sets how its councils and those of its communes decide Chiến sĩ thi đua cấp tỉnh, Cờ
thi đua cấp tỉnh, Chiến sĩ thi đua cơ sở and the other awards of its level or below. A setting is
dated and carries its source; a session applies the one in force on its date, the catalogue's
rule without one; the catalogue page and export_catalogue --province show it; only the
province's own officers set it."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import UnitFactory, kind, manager_of
from units.models import Unit, UnitKind, UnitLevel
from votes import selectors, services
from votes.models import Award, CatalogueEvent, ProvinceRatio

from .conftest import Council, make_council

pytestmark = pytest.mark.django_db

GK_XA = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"
REGULATION = "Quyết định 12/2025/QĐ-UBND tỉnh An Giang, Điều 9 khoản 2"
FROM = datetime.date(2026, 1, 1)


def of_level(code: str, level: str) -> UnitKind:
    found = kind(code)
    UnitKind.objects.filter(pk=found.pk).update(level=level)
    found.refresh_from_db()
    return found


@pytest.fixture
def province() -> Unit:
    return UnitFactory(code="AG", name="Tỉnh An Giang", kind=of_level("tinh", UnitLevel.PROVINCE))


@pytest.fixture
def office(province: Unit) -> User:
    return manager_of(province, username="ag.thidua")


@pytest.fixture
def other_office() -> User:
    other = UnitFactory(code="CT", name="Thành phố Cần Thơ", kind=of_level("tinh", "province"))
    return manager_of(other, username="ct.thidua")


def ballot_80(office: User | None, province: Unit, **fields: object) -> ProvinceRatio:
    values: dict[str, object] = {
        "award": Award.objects.get(name=GK_XA),
        "valid_from": FROM,
        "rule": Award.Rule.SECRET_BALLOT,
        "threshold_percent": 80,
        "source": REGULATION,
    }
    values.update(fields)
    return services.province_ratio_set(actor=office, province=province, **values)  # type: ignore[arg-type]


def commune_session(province: Unit, held_on: datetime.date) -> Council:
    """A session of a commune of the province: 3 of its 5 members vote yes (60 %)."""
    council = make_council(5, award=GK_XA, authority_kind="xa", held_on=held_on)
    commune = council.session.campaign.authority
    commune.parent = province
    commune.save()
    council.open()
    council.vote("yyynn")
    council.close()
    return council


def test_a_commune_session_applies_its_provinces_ratio_from_the_settings_date(
    province: Unit, office: User
) -> None:
    ballot_80(office, province)
    before = commune_session(province, datetime.date(2025, 12, 20)).nomination
    after = commune_session(province, datetime.date(2026, 12, 20)).nomination
    # before: the catalogue's majority of all members (3/5 = 60 % > 50 %)
    assert (before.passed, before.rule_label) == (True, "Biểu quyết, trên 50% tổng số thành viên")
    # from 1/1/2026: the province's secret ballot, 80 % of all members (3/5 falls short)
    assert after.passed is False
    assert after.rule_label == "Bỏ phiếu kín, đạt từ 80% tổng số thành viên trở lên"


def test_a_session_of_another_province_keeps_the_catalogues_rule(
    province: Unit, office: User
) -> None:
    ballot_80(office, province)
    elsewhere = UnitFactory(name="Tỉnh Khác", kind=of_level("tinh", UnitLevel.PROVINCE))
    nomination = commune_session(elsewhere, datetime.date(2026, 12, 20)).nomination
    assert nomination.passed is True


def test_the_setting_is_recorded_with_its_source_and_a_new_one_ends_the_last(
    province: Unit, office: User
) -> None:
    first = ballot_80(office, province)
    line = CatalogueEvent.objects.get(action="province_ratio_set", field="threshold_percent")
    assert (line.actor, line.new_value, line.source) == (office, "80", REGULATION)
    assert "Tỉnh An Giang" in line.subject and GK_XA in line.subject
    assert line.field_label == "tỷ lệ đồng ý (% tổng số thành viên)"
    later = ballot_80(office, province, valid_from=datetime.date(2027, 1, 1), threshold_percent=90)
    first.refresh_from_db()
    assert first.valid_to == datetime.date(2026, 12, 31) and later.valid_to is None
    ended = CatalogueEvent.objects.get(action="province_ratio_set", field="valid_to")
    assert ended.new_value == "2026-12-31"
    award = Award.objects.get(name=GK_XA)
    rule = selectors.vote_rule_on(award, province, datetime.date(2026, 12, 31))
    assert rule is not None and (rule.threshold_percent, rule.source) == (80, REGULATION)
    rule = selectors.vote_rule_on(award, province, datetime.date(2027, 1, 1))
    assert rule is not None and rule.threshold_percent == 90
    rule = selectors.vote_rule_on(award, province, datetime.date(2025, 12, 31))
    assert rule is not None and (rule.rule, rule.province) == ("majority", "")


def test_a_setting_needs_its_source_and_an_award_of_the_provinces_level(
    province: Unit, office: User
) -> None:
    with pytest.raises(ValidationError, match="căn cứ"):
        ballot_80(office, province, source=" ")
    with pytest.raises(ValidationError, match="trung ương") as refused:
        ballot_80(office, province, award=Award.objects.get(name="Danh hiệu Anh hùng Lao động"))
    assert refused.value.error_list[0].code == "national_ratio"
    assert not ProvinceRatio.objects.exists()
    assert not CatalogueEvent.objects.filter(action="province_ratio_set").exists()


def test_another_provinces_officer_and_a_communes_cannot_set_it(
    province: Unit, office: User, other_office: User
) -> None:
    commune = UnitFactory(kind=of_level("xa", UnitLevel.COMMUNE), parent=province)
    for stranger in (other_office, manager_of(commune)):
        with pytest.raises(PermissionDenied):
            ballot_80(stranger, province)
        client = Client()
        client.force_login(stranger)
        url = reverse("votes:province_ratio", args=[province.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403
    assert not ProvinceRatio.objects.exists()


def test_the_officer_sets_it_on_the_page_and_the_catalogue_shows_it_with_its_source(
    province: Unit, office: User, other_office: User
) -> None:
    client = Client()
    client.force_login(office)
    url = reverse("votes:province_ratio", args=[province.pk])
    assert client.get(url).status_code == 200
    award = Award.objects.get(name=GK_XA)
    form = {"award": award.pk, "valid_from": "2026-01-01", "threshold_percent": "80"}
    refused = client.post(url, {**form, "rule": "majority", "source": ""})
    assert refused.status_code == 422
    assert "căn cứ" in refused.content.decode()
    response = client.post(url, {**form, "rule": "secret_ballot", "source": REGULATION})
    assert response.status_code == 302
    ratio = ProvinceRatio.objects.get()
    assert (ratio.authority, ratio.threshold_percent, ratio.edited_by) == (province, 80, office)
    page = client.get(reverse("votes:catalogue")).content.decode()
    assert REGULATION in page and "01/01/2026 – …" in page
    assert url in page  # the province's own officer gets the link
    other = Client()
    other.force_login(other_office)
    seen = other.get(reverse("votes:catalogue")).content.decode()
    assert REGULATION in seen and url not in seen


def test_export_catalogue_for_a_province_cuts_the_period_at_its_setting(
    province: Unit, office: User
) -> None:
    ballot_80(office, province)
    out = io.StringIO()
    call_command("export_catalogue", province="AG", stdout=out)
    rows = [
        r
        for r in csv.DictReader(io.StringIO(out.getvalue()))
        if r["award_code"] == "GK_XA" and r["recipient"] == "individual"
    ]
    keys = ("valid_from", "valid_to", "vote_rule", "threshold_percent")
    periods = [tuple(r[k] for k in keys) for r in rows]
    assert periods == [
        ("", "2025-06-30", "majority", "50"),
        ("2025-07-01", "2025-12-31", "majority", "50"),
        ("2026-01-01", "", "ballot", "80"),
    ]
    assert f"Tỷ lệ: Tỉnh An Giang: {REGULATION}" in rows[-1]["source"]
    plain = io.StringIO()
    call_command("export_catalogue", stdout=plain)
    assert REGULATION not in plain.getvalue()
    client = Client()
    client.force_login(office)
    download = client.get(reverse("votes:catalogue_csv"), {"tinh": province.pk})
    assert download.content.decode("utf-8-sig") == out.getvalue()


def test_the_catalogue_page_reads_the_ratios_in_a_fixed_number_of_queries(
    province: Unit, office: User, django_assert_max_num_queries
) -> None:
    client = Client()
    client.force_login(office)
    url = reverse("votes:catalogue")
    ballot_80(office, province)
    with django_assert_max_num_queries(15):
        client.get(url)
    for name in ("Chiến sĩ thi đua cơ sở", "Chiến sĩ thi đua cấp tỉnh", "Lao động tiên tiến"):
        ballot_80(office, province, award=Award.objects.get(name=name))
    other = UnitFactory(code="KG", name="Tỉnh Kiên Giang", kind=of_level("tinh", "province"))
    ballot_80(None, other)
    with django_assert_max_num_queries(15):  # as many as for one row
        assert client.get(url).status_code == 200

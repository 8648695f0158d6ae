"""The award catalogue and the base salaries are kept by the province's emulation office: each
number changes through a service that asks for its legal source and records the change, and a
data migration adds the rows that are new without writing over an edited one."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse

from campaigns.models import CampaignEvent
from tests.factories import (
    BlockFactory,
    EnrolmentFactory,
    UnitFactory,
    UserFactory,
    kind,
    manager_of,
)
from units.models import Unit, UnitKind, UnitLevel
from votes import catalogue, services
from votes.models import Award, AwardTerm, BaseSalary, CatalogueEvent, Quota

pytestmark = pytest.mark.django_db

AWARD = "Lao động tiên tiến"
SOURCE = "Nghị định 152/2025/NĐ-CP Điều 54 khoản 1 điểm d (Công báo)"


def of_level(code: str, level: str) -> UnitKind:
    found = kind(code)
    UnitKind.objects.filter(pk=found.pk).update(level=level)
    found.refresh_from_db()
    return found


@pytest.fixture
def province() -> Unit:
    return UnitFactory(code="KG", name="Tỉnh Kiên Giang", kind=of_level("tinh", UnitLevel.PROVINCE))


@pytest.fixture
def office(province: Unit) -> User:
    """The province's emulation office: a campaign manager of the province."""
    return manager_of(province, username="ban.tdkt")


@pytest.fixture
def commune_manager(province: Unit) -> User:
    commune = UnitFactory(kind=of_level("xa", UnitLevel.COMMUNE), parent=province)
    return manager_of(commune, username="xa.manager")


TODAY = datetime.date(2026, 12, 7)


def award() -> AwardTerm:
    """The term of the award in force today (NĐ 152/2025): the one the office edits here."""
    term = Award.objects.get(name=AWARD).term_on(TODAY)
    assert term is not None
    return term


def test_the_office_changes_a_multiple_with_its_source_and_the_change_is_recorded(
    office: User,
) -> None:
    before = award().multiple_individual

    services.award_term_update(
        actor=office, term=award(), multiple_individual=Decimal("0.4"), source=SOURCE
    )

    changed = award()
    assert changed.multiple_individual == Decimal("0.4")
    assert (changed.multiple_source, changed.edited_by) == (SOURCE, office)
    event = CatalogueEvent.objects.get()
    assert (event.actor, event.subject, event.field, event.source) == (
        office,
        f"{AWARD} (01/07/2025 – …)",
        "multiple_individual",
        SOURCE,
    )
    assert (Decimal(event.old_value), Decimal(event.new_value)) == (before, Decimal("0.4"))


def test_a_number_without_a_source_is_refused_and_nothing_changes(office: User) -> None:
    before = award().threshold_percent
    with pytest.raises(ValidationError, match="Phải nêu căn cứ"):
        services.award_term_update(actor=office, term=award(), threshold_percent=60, source="  ")
    assert award().threshold_percent == before
    assert not CatalogueEvent.objects.exists()


def test_a_commune_manager_may_not_edit_the_catalogue(commune_manager: User) -> None:
    with pytest.raises(PermissionDenied):
        services.award_term_update(
            actor=commune_manager, term=award(), threshold_percent=60, source=SOURCE
        )
    with pytest.raises(PermissionDenied):
        services.base_salary_set(
            actor=commune_manager,
            valid_from=datetime.date(2027, 1, 1),
            amount=2_800_000,
            source=SOURCE,
        )


def test_a_new_base_salary_is_added_with_its_source_and_recorded(office: User) -> None:
    services.base_salary_set(
        actor=office, valid_from=datetime.date(2027, 7, 1), amount=2_800_000, source=SOURCE
    )

    salary = BaseSalary.objects.get(valid_from=datetime.date(2027, 7, 1))
    assert (salary.amount, salary.source, salary.edited_by) == (2_800_000, SOURCE, office)
    event = CatalogueEvent.objects.get()
    assert (event.action, event.field, event.old_value, event.new_value) == (
        "base_salary_set",
        "amount",
        "",
        "2800000",
    )
    assert services.base_salary_on(datetime.date(2027, 8, 1)) == salary


def historical_models() -> tuple[type, type, type]:
    """The models as a data migration sees them (the latest migration's state)."""
    loader = MigrationLoader(connection)
    latest = next(key for key in loader.graph.leaf_nodes() if key[0] == "votes")
    apps = loader.project_state(latest).apps
    return (
        apps.get_model("votes", "Award"),
        apps.get_model("votes", "BaseSalary"),
        apps.get_model("votes", "AwardTerm"),
    )


def test_a_data_migration_adds_new_awards_and_periods_but_keeps_the_edited_term(
    office: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.award_term_update(actor=office, term=award(), threshold_percent=55, source=SOURCE)
    services.base_salary_set(
        actor=office, valid_from=datetime.date(2026, 7, 1), amount=2_600_000, source=SOURCE
    )
    untouched = Award.objects.get(name="Tập thể lao động tiên tiến").term_on(TODAY)
    AwardTerm.objects.filter(pk=untouched.pk).update(multiple_source="cũ")  # an older text
    AwardTerm.objects.filter(award__name=AWARD, valid_to__isnull=False).delete()  # new periods
    terms = {**catalogue.TERMS}
    terms[AWARD] = [
        *terms[AWARD],
        (
            (datetime.date(2027, 3, 1), None, "Nghị định mới"),
            "commune",
            "Nghị định mới Điều 2",
            "majority",
            50,
            "Nghị định mới Điều 3",
            (None, "0.5", None),
            "Nghị định mới Điều 4",
        ),
    ]
    terms["Giấy khen mới"] = [
        (
            (None, None, "Nghị định mới"),
            "commune",
            "Nghị định mới Điều 2",
            "majority",
            50,
            "Nghị định mới Điều 3",
            ("0.5", None, None),
            "Nghị định mới Điều 1",
        )
    ]
    new_award = ("GK_MOI", "Giấy khen mới", "commendation", "c", "campaign")
    monkeypatch.setattr(catalogue, "AWARDS", [*catalogue.AWARDS, new_award])
    monkeypatch.setattr(catalogue, "TERMS", terms)

    catalogue.catalogue_ensure(*historical_models())

    edited = award()
    assert (edited.threshold_percent, edited.threshold_source) == (55, SOURCE)
    assert BaseSalary.objects.get(valid_from=datetime.date(2026, 7, 1)).amount == 2_600_000
    assert AwardTerm.objects.get(pk=untouched.pk).multiple_source != "cũ"  # brought up to date
    periods = AwardTerm.objects.filter(award__name=AWARD)  # the model's order: the open start first
    # the older periods come back; the new one overlaps the edited term, which stays the office's
    assert [t.valid_from for t in periods] == [
        None,
        datetime.date(2024, 1, 1),
        datetime.date(2025, 7, 1),
    ]
    new = Award.objects.get(name="Giấy khen mới").term_on(TODAY)
    assert new is not None and new.multiple_collective == Decimal("0.5")


# The catalogue page ------------------------------------------------------------------------------


def test_the_office_edits_an_award_on_the_page_and_sees_the_history(
    client: Client, office: User
) -> None:
    client.force_login(office)
    url = reverse("votes:award_edit", args=[award().pk])
    form = {
        "threshold_percent": "50",
        "multiple_collective": "",
        "multiple_individual": "0.35",
        "multiple_household": "",
        "source": SOURCE,
    }

    response = client.post(url, form)

    assert response.status_code == 302
    assert award().multiple_individual == Decimal("0.35")
    page = client.get(reverse("votes:catalogue")).content.decode()
    assert "hệ số thưởng cá nhân" in page and SOURCE in page


def test_the_page_refuses_a_change_without_a_source_beside_the_field(
    client: Client, office: User
) -> None:
    client.force_login(office)
    url = reverse("votes:award_edit", args=[award().pk])

    response = client.post(url, {"threshold_percent": "60", "source": ""})

    assert response.status_code == 422
    assert response.context["form"].errors["source"] == [
        "Phải nêu căn cứ (văn bản, điều, khoản) của số liệu đã sửa."
    ]
    assert award().threshold_percent == 50


def test_a_commune_manager_reads_the_catalogue_but_may_not_edit_it(
    client: Client, commune_manager: User
) -> None:
    client.force_login(commune_manager)

    page = client.get(reverse("votes:catalogue"))
    edit = client.get(reverse("votes:award_edit", args=[award().pk]))
    post = client.post(
        reverse("votes:base_salary"),
        {"valid_from": "2027-01-01", "amount": "1", "source": SOURCE},
    )

    assert page.status_code == 200
    assert reverse("votes:award_edit", args=[award().pk]) not in page.content.decode()
    assert (edit.status_code, post.status_code) == (403, 403)
    assert not BaseSalary.objects.filter(valid_from=datetime.date(2027, 1, 1)).exists()


def test_a_unit_head_may_not_open_the_catalogue(client: Client) -> None:
    client.force_login(UserFactory())
    assert client.get(reverse("votes:catalogue")).status_code == 403


def test_a_campaigns_quota_needs_the_decision_that_sets_it(client: Client) -> None:
    block = BlockFactory()
    enrolment = EnrolmentFactory(block=block)
    campaign = enrolment.campaign
    client.force_login(manager_of(campaign.authority))
    url = reverse("votes:quotas", args=[campaign.code])

    refused = client.post(url, {"block": block.pk, "limit": "2", "source": ""})
    client.post(url, {"block": block.pk, "limit": "2", "source": "Quyết định 7/QĐ-UBND"})

    assert refused.status_code == 422
    assert refused.context["quota_form"].errors["source"] == [
        "Phải nêu căn cứ (văn bản, điều, khoản) của số liệu đã sửa."
    ]
    quota = Quota.objects.get(campaign=campaign)
    assert (quota.limit, quota.source) == (2, "Quyết định 7/QĐ-UBND")
    event = CampaignEvent.objects.get(campaign=campaign, action="quota_set")
    assert event.reason == "Quyết định 7/QĐ-UBND"
    page = client.get(reverse("votes:sessions", args=[campaign.code])).content.decode()
    assert "Quyết định 7/QĐ-UBND" in page


def test_the_office_starts_a_new_period_when_a_new_text_comes_into_force(
    client: Client, office: User
) -> None:
    """From 01/3/2027 NĐ 152/2025 ends (Điều 60 khoản 1): the term of today ends the day before,
    the new one starts with the same numbers, and a session of March 2027 applies it."""
    client.force_login(office)
    today = award()
    url = reverse("votes:award_term_start", args=[today.pk])
    assert (
        reverse("votes:award_term_start", args=[today.pk])
        in client.get(reverse("votes:catalogue")).content.decode()
    )
    refused = client.post(url, {"valid_from": "2020-01-01", "texts": "X", "source": SOURCE})
    assert refused.status_code == 422 and "valid_from" in refused.context["form"].errors

    response = client.post(
        url, {"valid_from": "2027-03-01", "texts": "Nghị định mới", "source": SOURCE}
    )

    assert response.status_code == 302
    ended = AwardTerm.objects.get(pk=today.pk)
    assert ended.valid_to == datetime.date(2027, 2, 28) and ended.edited_by == office
    new = Award.objects.get(name=AWARD).term_on(datetime.date(2027, 3, 1))
    assert new is not None and new.pk != today.pk
    assert (new.texts, new.multiple_individual, new.valid_to) == (
        "Nghị định mới",
        today.multiple_individual,
        None,
    )
    services.award_term_update(
        actor=office, term=new, multiple_individual=Decimal("0.35"), source=SOURCE
    )
    assert award().multiple_individual == today.multiple_individual  # 2026 keeps its number
    event = CatalogueEvent.objects.filter(action="award_term_start").get(field="valid_from")
    assert (event.subject, event.new_value, event.source) == (AWARD, "2027-03-01", SOURCE)
    catalogue.catalogue_ensure(*historical_models())  # a data migration keeps both as they are
    assert AwardTerm.objects.get(pk=today.pk).valid_to == datetime.date(2027, 2, 28)
    assert AwardTerm.objects.filter(award__name=AWARD).count() == 4


def test_a_commune_manager_may_not_start_a_period(commune_manager: User) -> None:
    with pytest.raises(PermissionDenied):
        services.award_term_start(
            actor=commune_manager,
            term=award(),
            valid_from=datetime.date(2027, 3, 1),
            texts="Nghị định mới",
            source=SOURCE,
        )

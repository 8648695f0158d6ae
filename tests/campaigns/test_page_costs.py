"""The units and registrations pages: filters, 50 a page, and a cost (queries) that does not grow
with the number of units."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from campaigns.models import Enrolment, Registration
from tests.factories import BlockFactory, manager_of
from tests.scoring.scoring_cases import CLOSES, Case, on
from units.models import Unit

pytestmark = pytest.mark.django_db


def many_units(case: Case, count: int) -> list[Enrolment]:
    """`count` units in two blocks, half of them submitted, registrations in every state."""
    authority = case.campaign.authority
    blocks = [BlockFactory(code=f"K{authority.pk}-{i}", name=f"Khối {i}") for i in range(2)]
    units = Unit.objects.bulk_create(
        Unit(
            code=f"U{authority.pk}-{i}",
            name=f"Đơn vị {i}",
            search_name=f"don vi {i}",
            kind=authority.kind,
            parent=authority,
        )
        for i in range(count)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(campaign=case.campaign, unit=unit, block=blocks[i % 2])
        for i, unit in enumerate(units)
    )
    Assessment.objects.bulk_create(
        Assessment(enrolment=e, status="submitted", submitted_at=on(CLOSES))
        for e in enrolments[::2]
    )
    statuses = list(Registration.Status.values)
    Registration.objects.bulk_create(
        Registration(
            enrolment=e,
            targets=f"Chỉ tiêu {i}",
            status=statuses[i % len(statuses)],
            reason="Thiếu chữ ký",
        )
        for i, e in enumerate(enrolments)
        if i % 5
    )
    return enrolments


def a_case() -> Case:
    case = Case().criterion("1")
    case.unit("Xã Bình An", {"1": "9"}, block="Biển")
    case.unit("Xã Tân Hòa", {"1": "8"})
    return case


def get(client: Client, case: Case, name: str, **query: str):  # type: ignore[no-untyped-def]
    return client.get(reverse(f"campaigns:{name}", args=[case.campaign.code]), query)


@pytest.mark.parametrize("name", ["enrolments", "registrations"])
@pytest.mark.parametrize("count", [20, 2000])
def test_the_page_costs_the_same_queries_for_20_or_2000_units(
    client: Client, name: str, count: int, django_assert_max_num_queries: object
) -> None:
    case = a_case()
    many_units(case, count)
    client.force_login(manager_of(case.campaign.authority))
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        response = get(client, case, name)
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 50 if count > 50 else count + 2
    assert response.context["page_obj"].paginator.count == count + 2


def names(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {e.unit.name for e in response.context["page_obj"]}


def test_units_filter_by_name_without_diacritics_block_and_reopening(client: Client) -> None:
    case = a_case()
    reopened = case.units["Xã Tân Hòa"]
    reopened.reopened_until, reopened.reopen_reason = CLOSES, "Bão"
    reopened.save()
    client.force_login(manager_of(case.campaign.authority))

    assert names(get(client, case, "enrolments", q="binh an")) == {"Xã Bình An"}
    block = case.blocks["Biển"]
    assert names(get(client, case, "enrolments", block=str(block.pk))) == {"Xã Bình An"}
    assert names(get(client, case, "enrolments", reopened="true")) == {"Xã Tân Hòa"}
    assert names(get(client, case, "enrolments", reopened="false")) == {"Xã Bình An"}


def test_registrations_filter_by_state(client: Client) -> None:
    case = a_case()
    Registration.objects.create(
        enrolment=case.units["Xã Bình An"], targets="x", status=Registration.Status.SENT
    )
    Registration.objects.create(
        enrolment=case.units["Xã Tân Hòa"], targets="x", status=Registration.Status.DRAFT
    )
    client.force_login(manager_of(case.campaign.authority))

    assert names(get(client, case, "registrations", status="sent")) == {"Xã Bình An"}
    assert names(get(client, case, "registrations", status="not_started")) == {"Xã Tân Hòa"}
    assert names(get(client, case, "registrations", status="accepted")) == set()


def test_the_second_page_keeps_the_filter(client: Client) -> None:
    case = a_case()
    many_units(case, 120)
    client.force_login(manager_of(case.campaign.authority))
    response = get(client, case, "enrolments", q="don vi", page="2")
    assert len(response.context["page_obj"]) == 50
    assert "q=don+vi&amp;page=3" in response.content.decode()


def test_a_hostile_filter_value_is_a_form_error_not_a_crash(client: Client) -> None:
    case = a_case()
    client.force_login(manager_of(case.campaign.authority))
    for name in ["enrolments", "registrations"]:
        response = get(client, case, name, block="99999999999999999999", status="<b>", page="x")
        assert response.status_code == 200

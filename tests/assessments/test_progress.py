"""The manager's progress page: each unit's state and lateness, filters, 50 a page, and a cost
that does not grow with the number of units."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, ReviewItem
from campaigns.models import Enrolment
from tests.factories import BlockFactory, manager_of
from tests.scoring.scoring_cases import CLOSES, Case, on
from units.models import Unit

pytestmark = pytest.mark.django_db


def manager(case: Case) -> User:
    return manager_of(case.campaign.authority)


def page(client: Client, case: Case, **query: str):  # type: ignore[no-untyped-def]
    client.force_login(manager(case))
    return client.get(reverse("assessments:progress", args=[case.campaign.code]), query)


def rows(response) -> dict[str, tuple[str, bool]]:  # type: ignore[no-untyped-def]
    return {e.unit.name: (e.state, e.late) for e in response.context["page_obj"]}


def progress_case() -> Case:
    case = Case().criterion("1")
    case.unit("Xã Đúng hạn", {"1": "9"})
    case.unit("Xã Muộn", {"1": "9"}, submitted=CLOSES + datetime.timedelta(days=2))
    case.unit("Xã Nháp", {"1": "5"}, submitted=None)
    case.unit("Xã Chưa làm")
    case.unit("Xã Gia hạn", {"1": "9"}, submitted=CLOSES + datetime.timedelta(days=2))
    extended = case.units["Xã Gia hạn"]
    extended.reopened_until, extended.reopen_reason = CLOSES + datetime.timedelta(5), "Bão"
    extended.save()
    case.review("Xã Đúng hạn", "1", "8")
    return case


def test_each_units_state_and_lateness(client: Client) -> None:
    response = page(client, progress_case())

    assert rows(response) == {
        "Xã Đúng hạn": ("under_review", False),
        "Xã Muộn": ("submitted", True),
        "Xã Nháp": ("draft", True),  # the window closed without a submission
        "Xã Chưa làm": ("not_started", True),
        "Xã Gia hạn": ("submitted", False),  # within the extension it was granted
    }
    summary = dict(response.context["summary"])
    assert summary["Đã nộp"] == 2 and summary["Đang thẩm định"] == 1
    assert response.context["late"] == 3


def test_the_page_and_the_engine_share_one_rule_for_on_time() -> None:
    case = progress_case()
    listed = Enrolment.objects.filter(campaign=case.campaign).with_lateness(timezone.localdate())
    for enrolment in listed.select_related("campaign", "assessment"):
        assessment = getattr(enrolment, "assessment", None)
        if assessment is not None and assessment.submitted_at is not None:
            assert enrolment.late is not enrolment.submitted_on_time(assessment.submitted_at)


def test_filters_by_state_lateness_and_name_without_diacritics(client: Client) -> None:
    case = progress_case()
    assert set(rows(page(client, case, state="draft"))) == {"Xã Nháp"}
    assert set(rows(page(client, case, late="true"))) == {"Xã Muộn", "Xã Nháp", "Xã Chưa làm"}
    assert set(rows(page(client, case, q="gia han"))) == {"Xã Gia hạn"}


def test_a_hostile_filter_value_is_a_form_error_not_a_crash(client: Client) -> None:
    response = page(client, progress_case(), block="99999999999999999999", state="<b>")
    assert response.status_code == 200


def many_units(case: Case, count: int) -> None:
    authority = case.campaign.authority
    kind = authority.kind
    units = Unit.objects.bulk_create(
        [
            Unit(
                code=f"U{authority.pk}-{i}",
                name=f"Đơn vị {i}",
                search_name=f"don vi {i}",
                kind=kind,
                parent=authority,
            )
            for i in range(count)
        ]
    )
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(campaign=case.campaign, unit=unit) for unit in units]
    )
    Assessment.objects.bulk_create(
        [
            Assessment(enrolment=e, status="submitted", submitted_at=on(CLOSES))
            for e in enrolments[::2]
        ]
    )


@pytest.mark.parametrize("count", [20, 600])
def test_the_page_costs_the_same_queries_for_20_or_600_units(
    client: Client, count: int, django_assert_max_num_queries: object
) -> None:
    case = progress_case()
    many_units(case, count)
    client.force_login(manager(case))
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        response = client.get(reverse("assessments:progress", args=[case.campaign.code]))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == min(50, count + 5)
    assert ReviewItem.objects.exists()


def test_the_pages_follow_block_then_unit_name_and_the_block_filter_keeps_its_choice(
    client: Client,
) -> None:
    case = progress_case()
    blocks = [BlockFactory(code=f"B{i}-{case.campaign.pk}", name=f"Khối {i}") for i in (2, 1)]
    many_units(case, 110)
    for i, enrolment in enumerate(Enrolment.objects.filter(campaign=case.campaign, block=None)):
        if i % 3:  # a third stay without a block
            enrolment.block = blocks[i % 2]
            enrolment.save()
    listed = Enrolment.objects.filter(campaign=case.campaign)
    in_order = listed.order_by("block__code", "unit__name", "pk").values_list("pk", flat=True)

    shown = [e for n in "123" for e in page(client, case, page=n).context["page_obj"]]
    assert [e.pk for e in shown] == list(in_order)  # 115 units: 50, 50 and 15
    assert {e.unit.name: (e.state, e.late) for e in shown}["Xã Đúng hạn"] == ("under_review", False)
    response = page(client, case, block=str(blocks[0].pk))
    assert {e.block for e in response.context["page_obj"]} == {blocks[0]}
    assert f'<option value="{blocks[0].pk}" selected>Khối 2</option>' in response.content.decode()
    summary = dict(response.context["summary"])  # the counts are the whole campaign's
    assert sum(summary.values()) == 115 and summary["Đã nộp"] == 2 + 55

"""The workbook's `council` sheet (docs/domain.md, "Data exchange"): username, role; it seats the
campaign's council through the council service, all or nothing, and a second import changes
nothing."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from assessments.exchange import WorkbookError, campaign_import
from campaigns import services as campaign_services
from campaigns.models import Campaign, CampaignEvent
from tests.assessments.workbooks import Sheets, good_sheets, snapshot, workbook_file
from tests.factories import MembershipFactory, UnitFactory, UserFactory, kind
from units.models import Unit
from units.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def province() -> Unit:
    province = UnitFactory(code="KG", name="Tỉnh Kiên Giang", kind=kind("tinh"))
    UnitFactory(code="RG", name="Thành phố Rạch Giá", kind=kind("huyen"), parent=province)
    return province


@pytest.fixture
def accounts(province: Unit) -> dict[str, User]:
    """thanh.pct and chu.tich: council accounts of no unit; uv.binh: staff of a city under the
    province; ngoai: staff of another province."""
    elsewhere = UnitFactory(code="AG", name="Tỉnh An Giang", kind=kind("tinh"))
    users = {
        name: UserFactory(username=name, first_name=full)
        for name, full in [
            ("thanh.pct", "Đặng Minh Thành"),
            ("chu.tich", "Trần Quốc Khánh"),
            ("uv.binh", "Võ Thị Bình"),
            ("ngoai", "Người Ngoài"),
        ]
    }
    MembershipFactory(user=users["uv.binh"], unit=Unit.objects.get(code="RG"), role="staff")
    MembershipFactory(user=users["ngoai"], unit=elsewhere, role="staff")
    return users


def with_council(*rows: list[object]) -> Sheets:
    sheets = good_sheets()
    sheets["council"] = [["username", "role"], *[list(row) for row in rows]]
    return sheets


COUNCIL = [
    ["chu.tich", "chair"],
    ["thanh.pct", "vice_chair"],
    ["hd.lan", "secretary"],  # a reviewer the review_scores sheet creates
    ["uv.binh", "member"],
]


def run(sheets: Sheets, **kwargs: object):  # type: ignore[no-untyped-def]
    kwargs.setdefault("actor", None)
    return campaign_import(workbook_file=workbook_file(sheets), **kwargs)  # type: ignore[arg-type]


def council(campaign: Campaign) -> list[tuple[str, str]]:
    seats = campaign.council_seats.filter(valid_to=None).order_by("user__username")
    return list(seats.values_list("user__username", "role"))


def test_the_council_sheet_seats_the_council_and_a_second_import_changes_nothing(
    accounts: dict[str, User],
) -> None:
    summary = run(with_council(*COUNCIL))
    before = snapshot()
    again = run(with_council(*COUNCIL))

    assert council(summary.campaign) == [
        ("chu.tich", "chair"),
        ("hd.lan", "secretary"),
        ("thanh.pct", "vice_chair"),
        ("uv.binh", "member"),
    ]
    assert not again.changed
    assert snapshot() == before
    lines = CampaignEvent.objects.filter(action__startswith="council_seat")
    assert lines.filter(action="council_seat_add").count() == 4


def test_the_sheet_changes_a_role_and_leaves_seats_it_does_not_name(
    accounts: dict[str, User],
) -> None:
    run(with_council(*COUNCIL))

    summary = run(with_council(["uv.binh", "vice_chair"]))

    assert council(summary.campaign) == [
        ("chu.tich", "chair"),
        ("hd.lan", "secretary"),
        ("thanh.pct", "vice_chair"),
        ("uv.binh", "vice_chair"),
    ]
    assert summary.updated["council_seat"] == 1


def test_the_chair_passes_to_another_within_one_file(accounts: dict[str, User]) -> None:
    run(with_council(*COUNCIL))

    summary = run(with_council(["thanh.pct", "chair"], ["chu.tich", "member"]))

    assert ("thanh.pct", "chair") in council(summary.campaign)
    assert ("chu.tich", "member") in council(summary.campaign)


@pytest.mark.parametrize(
    ("bad_row", "row", "column", "reason"),
    [
        (["uv.binh", "truong_ban"], 5, "role", "“truong_ban” phải là một trong: chair"),
        (["khong.co", "member"], 5, "username", "không có tài khoản “khong.co”"),
        (["ngoai", "member"], 5, "username", "“ngoai” không thuộc đơn vị nào của Tỉnh Kiên Giang"),
        (["uv.binh", "chair"], 5, "role", "Hội đồng đã có Chủ tịch (chu.tich)"),
        (["uv.binh", None], 5, "role", "không được để trống"),
    ],
)
def test_a_bad_council_row_rejects_the_whole_file(
    accounts: dict[str, User], bad_row: list[object], row: int, column: str, reason: str
) -> None:
    rows = [*COUNCIL[:3], bad_row]
    before = snapshot()

    with pytest.raises(WorkbookError, match=re.escape(reason)) as refused:
        run(with_council(*rows))

    assert (refused.value.sheet, refused.value.row, refused.value.column) == (
        "council",
        row,
        column,
    )
    assert snapshot() == before


def test_a_username_twice_rejects_the_file(accounts: dict[str, User]) -> None:
    before = snapshot()

    with pytest.raises(WorkbookError, match="bị lặp") as refused:
        run(with_council(*COUNCIL, ["chu.tich", "member"]))

    assert (refused.value.row, refused.value.column) == (6, "username")
    assert snapshot() == before


def test_a_manager_seats_their_council_and_another_authoritys_manager_cannot(
    province: Unit, accounts: dict[str, User]
) -> None:
    manager = UserFactory(username="manager_kg", roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=manager, unit=province, role="officer")
    other = UserFactory(username="manager_ag", roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=other, unit=Unit.objects.get(code="AG"), role="officer")
    sheets = with_council(*COUNCIL)
    sheets["review_scores"] = sheets["review_scores"][:3]  # thanh.pct is seated by the council
    summary = run(sheets, actor=manager)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        run(with_council(["chu.tich", "member"], ["ngoai", "chair"]), actor=other)

    assert snapshot() == before
    event = CampaignEvent.objects.filter(action="council_seat_add").first()
    assert event is not None and event.actor == manager
    assert ("chu.tich", "chair") in council(summary.campaign)


def test_the_sheet_and_the_council_page_write_the_same_history(
    client: Client, province: Unit, accounts: dict[str, User]
) -> None:
    manager = UserFactory(username="manager_kg", roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=manager, unit=province, role="officer")
    sheets = with_council(["chu.tich", "chair"], ["uv.binh", "secretary"])
    del sheets["review_scores"]
    by_file = run(sheets, actor=manager).campaign
    by_page = campaign_services.campaign_create(
        actor=manager,
        code="VHCS-2020",
        title="Văn hóa công sở 2020",
        authority=province,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2020, 12, 31),
        window_opens_on=datetime.date(2020, 11, 1),
        window_closes_on=datetime.date(2020, 11, 30),
    )
    client.force_login(manager)
    for username, role in [("chu.tich", "chair"), ("uv.binh", "secretary")]:
        client.post(
            reverse("campaigns:council_add", args=[by_page.code]),
            {"user": accounts[username].pk, "role": role},
        )

    def lines(campaign: Campaign) -> list[tuple[object, ...]]:
        events = CampaignEvent.objects.filter(campaign=campaign, action__startswith="council")
        return list(
            events.order_by("pk").values_list(
                "action", "subject", "old_value", "new_value", "reason", "actor"
            )
        )

    assert (
        lines(by_file)
        == lines(by_page)
        == [
            ("council_seat_add", "Trần Quốc Khánh", "", "chair", "", manager.pk),
            ("council_seat_add", "Võ Thị Bình", "", "secretary", "", manager.pk),
        ]
    )

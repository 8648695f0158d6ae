"""The manager's pages: access, forms that refuse bad input, and constant query counts."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from campaigns import services
from campaigns.models import Campaign, CampaignStatus, Criterion, Enrolment
from core.text import fold
from tests.campaigns.test_services import PDF
from tests.factories import MembershipFactory, UnitFactory, UserFactory, kind
from tests.hostile.corpus import RawUpload, multipart
from units.models import Unit
from units.roles import Role

pytestmark = pytest.mark.django_db


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def url(name: str, campaign: Campaign, *args: object) -> str:
    return reverse(f"campaigns:{name}", args=[campaign.code, *args])


def test_manager_creates_a_campaign_through_the_form(
    client: Client, manager: User, district: Unit
) -> None:
    response = login(client, manager).post(
        reverse("campaigns:create"),
        {
            "code": "VHCS-2026",
            "title": "Văn hóa công sở 2026",
            "authority": district.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "window_opens_on": "2026-11-01",
            "window_closes_on": "2026-11-30",
            "exemplary_per_block": 1,
            "review_stages": 1,
        },
    )
    assert response.status_code == 302
    assert Campaign.objects.get(code="VHCS-2026").authority == district


def test_create_form_refuses_dates_out_of_order_in_vietnamese(
    client: Client, manager: User, district: Unit
) -> None:
    response = login(client, manager).post(
        reverse("campaigns:create"),
        {
            "code": "X",
            "title": "X",
            "authority": district.pk,
            "starts_on": "2026-12-31",
            "ends_on": "2026-01-01",
            "window_opens_on": "2026-11-01",
            "window_closes_on": "2026-11-30",
            "exemplary_per_block": 1,
            "review_stages": 1,
        },
    )
    assert response.status_code == 422
    assert "Ngày kết thúc phải không trước ngày bắt đầu" in response.content.decode()
    assert not Campaign.objects.filter(code="X").exists()


def test_create_form_offers_only_the_managers_own_units(
    client: Client, manager: User, district: Unit
) -> None:
    foreign = UnitFactory(name="Huyện Khác", kind=kind("huyen"))
    html = login(client, manager).get(reverse("campaigns:create")).content.decode()
    assert district.name in html
    assert foreign.name not in html


def test_manager_launches_and_then_cannot_edit_the_checklist(
    client: Client, manager: User, ready_campaign: Campaign
) -> None:
    login(client, manager)
    response = client.post(
        url("transition", ready_campaign, "launch"), {"confirmed": "1"}, follow=True
    )
    assert "Đã phát động" in response.content.decode()
    criterion = ready_campaign.checklist.criteria.get(code="1.1")
    page = client.get(url("checklist", ready_campaign)).content.decode()
    assert "Đã khóa khi phát động" in page
    assert url("criterion_add", ready_campaign) not in page
    response = client.post(
        url("criterion_edit", ready_campaign, criterion.pk),
        {
            "code": "1.1",
            "title": "Sửa",
            "kind": "points",
            "max_points": "50",
            "order": 0,
        },
    )
    assert response.status_code == 422
    assert "đã khóa" in response.content.decode()
    assert Criterion.objects.get(pk=criterion.pk).max_points == Decimal(10)


def test_admin_cannot_change_a_frozen_criterion(
    client: Client, ready_campaign: Campaign, manager: User
) -> None:
    services.campaign_launch(actor=manager, campaign=ready_campaign)
    admin = User.objects.create_superuser("root", "root@example.invalid", "pw")
    criterion = ready_campaign.checklist.criteria.get(code="1.1")
    login(client, admin)
    change = reverse("admin:campaigns_criterion_change", args=[criterion.pk])
    client.post(
        change,
        {
            "code": "1.1",
            "title": "x",
            "kind": "points",
            "max_points": "99",
            "checklist": criterion.checklist_id,
            "order": 0,
        },
    )
    delete = reverse("admin:campaigns_criterion_delete", args=[criterion.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Criterion.objects.get(pk=criterion.pk).max_points == Decimal(10)


def test_criterion_form_refuses_text_in_the_points(
    client: Client, manager: User, campaign: Campaign
) -> None:
    response = login(client, manager).post(
        url("criterion_add", campaign),
        {
            "code": "1",
            "title": "Một",
            "kind": "points",
            "max_points": "mười",
            "order": 0,
        },
    )
    assert response.status_code == 422
    assert "Nhập một số" in response.content.decode()
    assert not campaign.checklist.criteria.exists()


def test_enrol_a_unit_twice_through_the_page_is_refused(
    client: Client, manager: User, ready_campaign: Campaign
) -> None:
    unit = ready_campaign.enrolments.first().unit
    response = login(client, manager).post(url("enrolments", ready_campaign), {"units": [unit.pk]})
    assert response.status_code == 422
    assert ready_campaign.enrolments.count() == 3


def test_enrol_by_subtree_through_the_page(
    client: Client, manager: User, campaign: Campaign, district: Unit, communes: list[Unit]
) -> None:
    response = login(client, manager).post(url("enrolments", campaign), {"subtree": district.pk})
    assert response.status_code == 302
    assert campaign.enrolments.count() == 4


def test_upload_that_lies_about_its_type_changes_nothing(
    client: Client, manager: User, campaign: Campaign, media_root: object
) -> None:
    upload = SimpleUploadedFile("ke-hoach.pdf", b"MZ\x90\x00not a pdf at all")
    response = login(client, manager).post(
        url("attachment_add", campaign), {"kind": "plan", "title": "KH", "file": upload}
    )
    assert response.status_code == 422
    assert "không đúng với loại .pdf" in response.content.decode()
    assert not campaign.attachments.exists()


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../../media/ke-hoach.pdf", "ke-hoach.pdf"),
        ("..\\..\\ke-hoach.pdf", "ke-hoach.pdf"),
        ("ke\x1b[31m-hoach.pdf", "ke[31m-hoach.pdf"),
    ],
)
def test_a_real_pdf_sent_under_a_path_or_control_characters_keeps_only_its_plain_name(
    client: Client, manager: User, campaign: Campaign, media_root: object, sent: str, kept: str
) -> None:
    """Django cuts the folders off an uploaded file's name and drops the characters it cannot
    print before the portal sees it; the file itself is stored under a generated name."""
    body, content_type = multipart(
        {"kind": "plan", "title": "Kế hoạch", "file": RawUpload(sent, PDF, "application/pdf")}
    )
    response = login(client, manager).post(
        url("attachment_add", campaign), body, content_type=content_type
    )
    assert response.status_code == 302
    attachment = campaign.attachments.get()
    assert attachment.original_name == kept
    assert ".." not in attachment.file.name and kept not in attachment.file.name


def test_attachment_is_downloaded_as_an_attachment(
    client: Client, manager: User, campaign: Campaign, media_root: object
) -> None:
    login(client, manager).post(
        url("attachment_add", campaign),
        {"kind": "plan", "title": "Kế hoạch", "file": SimpleUploadedFile("kh.pdf", PDF)},
    )
    attachment = campaign.attachments.get()
    response = client.get(url("attachment", campaign, attachment.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_conference_is_recorded_and_printable(
    client: Client, manager: User, ready_campaign: Campaign
) -> None:
    unit = ready_campaign.enrolments.first().unit
    response = login(client, manager).post(
        url("conference_add", ready_campaign),
        {
            "kind": "launch",
            "held_at": "2019-08-08T07:30",
            "venue": "Hội trường UBND huyện",
            "chair": "Ông Đặng Minh Thành",
            "attending_units": [unit.pk],
        },
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Hội nghị phát động" in page and "07:30, 08/08/2019" in page
    assert unit.name in page and "data-print" in page


def test_registration_page_shows_who_has_not_started(
    client: Client, manager: User, ready_campaign: Campaign
) -> None:
    enrolment = ready_campaign.enrolments.select_related("unit").first()
    head = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=head, unit=enrolment.unit)
    login(Client(), head)
    head_client = Client()
    head_client.force_login(head)
    head_client.post(url("registration_send", ready_campaign), {"targets": "Xuất sắc"})
    page = login(client, manager).get(url("registrations", ready_campaign)).content.decode()
    assert "0 chấp nhận, 1 chờ xử lý, 0 trả lại, 2 chưa đăng ký" in page
    response = client.post(
        url("registration_decide", ready_campaign, enrolment.registration.pk),
        {"accept": "0", "reason": ""},
    )
    assert response.status_code == 422  # the list again, the reason in its summary
    summary = lxml_html.fromstring(response.content.decode()).xpath("//*[@data-form-errors]")
    assert "Phải nêu lý do trả lại" in summary[0].text_content()


# Access -------------------------------------------------------------------------------------------


MANAGER_ONLY = ["update", "registrations"]
READABLE = ["detail", "checklist", "enrolments", "history"]


@pytest.mark.parametrize("page", MANAGER_ONLY + READABLE)
def test_a_stranger_gets_403_on_every_campaign_page(
    client: Client, ready_campaign: Campaign, page: str
) -> None:
    stranger = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=stranger, unit=UnitFactory())
    assert login(client, stranger).get(url(page, ready_campaign)).status_code == 403


@pytest.mark.parametrize("page", MANAGER_ONLY)
def test_an_enrolled_unit_head_cannot_reach_manager_pages(
    client: Client, ready_campaign: Campaign, page: str
) -> None:
    head = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=head, unit=ready_campaign.enrolments.first().unit)
    login(client, head)
    assert client.get(url(page, ready_campaign)).status_code == 403
    assert client.get(url("detail", ready_campaign)).status_code == 200


@pytest.mark.parametrize("action", ["launch", "open_window"])
def test_another_manager_cannot_post_a_transition(
    client: Client, other_manager: User, ready_campaign: Campaign, action: str
) -> None:
    response = login(client, other_manager).post(url("transition", ready_campaign, action))
    assert response.status_code == 403
    assert Campaign.objects.get(pk=ready_campaign.pk).status == CampaignStatus.DRAFT


def test_unknown_campaign_is_404(client: Client, manager: User) -> None:
    response = login(client, manager).get(reverse("campaigns:detail", args=["KHONG-CO"]))
    assert response.status_code == 404


# Query counts -------------------------------------------------------------------------------------


def populate(authority: Unit, n_units: int, n_campaigns: int) -> Campaign:
    xa = kind("xa")
    units = Unit.objects.bulk_create(
        [
            Unit(
                code=f"Q{authority.pk}-{i}",
                name=f"Xã Thử {i}",
                search_name=fold(f"Xã Thử {i}"),
                kind=xa,
                parent=authority,
            )
            for i in range(n_units)
        ]
    )
    campaigns = [
        Campaign.objects.create(
            code=f"Q{i}",
            title=f"Phong trào {i}",
            authority=authority,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            window_opens_on=datetime.date(2026, 11, 1),
            window_closes_on=datetime.date(2026, 11, 30),
        )
        for i in range(n_campaigns)
    ]
    Enrolment.objects.bulk_create([Enrolment(campaign=campaigns[0], unit=unit) for unit in units])
    return campaigns[0]


@pytest.mark.parametrize(("n_units", "n_campaigns"), [(10, 3), (1000, 60)])
def test_campaign_list_runs_a_constant_number_of_queries(
    client: Client,
    manager: User,
    district: Unit,
    n_units: int,
    n_campaigns: int,
    django_assert_max_num_queries,
) -> None:
    populate(district, n_units, n_campaigns)
    login(client, manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("campaigns:list"))
    assert response.status_code == 200


@pytest.mark.parametrize("n_units", [10, 1000])
@pytest.mark.parametrize("page", ["enrolments", "registrations", "detail", "checklist"])
def test_campaign_pages_run_a_constant_number_of_queries(
    client: Client,
    manager: User,
    district: Unit,
    n_units: int,
    page: str,
    django_assert_max_num_queries,
) -> None:
    campaign = populate(district, n_units, 1)
    login(client, manager)
    with django_assert_max_num_queries(16):
        response = client.get(url(page, campaign))
    assert response.status_code == 200

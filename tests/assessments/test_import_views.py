"""The import page and the template download: who may use them, what a refusal looks like."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.exchange import campaign_import
from campaigns import services as campaign_services
from campaigns.models import Campaign, CampaignEvent, CampaignStatus
from core.workbooks import WorkbookError
from tests.assessments.workbooks import MODELS, good_sheets, snapshot, upload, workbook
from tests.factories import MembershipFactory, UnitFactory, UserFactory, kind
from units.models import Membership, Unit
from units.roles import Role

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("assessments:import_campaign")
MODELS_WITHOUT_CAMPAIGN = [m for m in MODELS if m not in (Campaign, CampaignEvent)]
TEMPLATE_URL = reverse("assessments:import_template")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def province() -> Unit:
    province = UnitFactory(code="KG", name="Tỉnh Kiên Giang", kind=kind("tinh"))
    UnitFactory(code="RG", name="Thành phố Rạch Giá", kind=kind("huyen"), parent=province)
    return province


@pytest.fixture
def manager(province: Unit) -> User:
    user = UserFactory(username="manager", roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=user, unit=province, role=Membership.Role.OFFICER)
    return user


@pytest.fixture
def unit_head(province: Unit) -> User:
    user = UserFactory(username="head", roles=[Role.UNIT_HEAD])
    MembershipFactory(user=user, unit=province, role=Membership.Role.HEAD)
    return user


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_the_page_names_every_column_in_vietnamese_beside_its_code(
    client: Client, manager: User
) -> None:
    from lxml import html as lxml_html

    from assessments.exchange.sheets import COLUMNS

    page = lxml_html.fromstring(logged_in(client, manager).get(IMPORT_URL).content.decode())
    text = " ".join(page.xpath("//table")[0].text_content().split())
    for phrase in [
        "campaign (Phong trào)",
        "parent_code (Mã cấp trên)",
        "window_closes_on (Hạn tự chấm điểm)",
        "title (Nội dung tiêu chí)",
        "points (Chấm điểm)",
        "yes_no (Đạt / không đạt)",
    ]:
        assert phrase in text
    for sheet, names in COLUMNS.items():
        if sheet == "people":
            continue  # the people's sheet has its own page
        for name in names:
            assert f"{name} (" in text, f"{sheet}.{name} has its Vietnamese name"


def test_a_manager_sees_the_upload_form_with_a_template_link(client: Client, manager: User) -> None:
    response = logged_in(client, manager).get(IMPORT_URL)

    assert response.status_code == 200
    assert "Nhập phong trào từ tệp Excel" in response.content.decode()
    assert TEMPLATE_URL in response.content.decode()
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_the_authority_choice_holds_only_the_managers_units_and_below(
    client: Client, manager: User, province: Unit
) -> None:
    elsewhere = UnitFactory(code="CT", kind=kind("tinh"))

    form = logged_in(client, manager).get(IMPORT_URL).context["form"]

    choices = set(form.fields["authority"].queryset.values_list("code", flat=True))
    assert choices == {"KG", "RG"}
    assert elsewhere.code not in choices


def test_a_manager_uploads_a_workbook_and_lands_on_the_campaign(
    client: Client, manager: User, province: Unit
) -> None:
    response = logged_in(client, manager).post(IMPORT_URL, {"workbook": upload(good_sheets())})

    assert response.status_code == 302
    assert response.url == reverse("campaigns:detail", args=["VHCS-2019"])
    campaign = Campaign.objects.get(code="VHCS-2019")
    assert campaign.authority == province
    assert campaign.enrolments.count() == 4
    page = client.get(response.url)
    assert "Đã nhập phong trào “VHCS-2019”: 4 đơn vị, 5 tiêu chí" in page.content.decode()


def test_the_manager_may_choose_the_authority(
    client: Client, manager: User, province: Unit
) -> None:
    logged_in(client, manager).post(
        IMPORT_URL, {"workbook": upload(good_sheets()), "authority": province.pk}
    )

    assert Campaign.objects.get(code="VHCS-2019").authority == province


def test_an_authority_outside_the_managers_units_is_refused(
    client: Client, manager: User, province: Unit
) -> None:
    elsewhere = UnitFactory(code="CT", kind=kind("tinh"))
    client = logged_in(client, manager)
    before = snapshot()

    response = client.post(
        IMPORT_URL, {"workbook": upload(good_sheets()), "authority": elsewhere.pk}
    )

    assert response.status_code == 422
    assert response.context["form"].errors["authority"]
    assert snapshot() == before


def test_a_unit_head_may_neither_open_nor_post_nor_download(
    client: Client, unit_head: User, province: Unit
) -> None:
    client = logged_in(client, unit_head)

    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"workbook": upload(good_sheets())}).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    assert not Campaign.objects.exists()


def test_a_bad_file_shows_the_vietnamese_message_and_changes_nothing(
    client: Client, manager: User, province: Unit
) -> None:
    sheets = good_sheets()
    sheets["self_scores"][4][2] = "abc"
    client = logged_in(client, manager)
    before = snapshot()

    response = client.post(IMPORT_URL, {"workbook": upload(sheets)})

    assert response.status_code == 422
    assert (
        "Trang tính “self_scores”, dòng 5, cột “score”: “abc” không phải là số."
        in response.content.decode()
    )
    assert snapshot() == before


def test_a_file_that_is_not_an_xlsx_by_content_is_refused(
    client: Client, manager: User, province: Unit
) -> None:
    fake = SimpleUploadedFile("phong-trao.xlsx", b"code,title\nVHCS,Van hoa\n")

    response = logged_in(client, manager).post(IMPORT_URL, {"workbook": fake})

    assert response.status_code == 422
    assert "không đúng với loại .xlsx" in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_file_above_the_upload_limit_is_refused(
    client: Client, manager: User, province: Unit, settings: object
) -> None:
    settings.UPLOAD_MAX_BYTES = 1000  # type: ignore[attr-defined]

    response = logged_in(client, manager).post(IMPORT_URL, {"workbook": upload(good_sheets())})

    assert response.status_code == 422
    assert "quá lớn" in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_manager_may_not_import_into_a_campaign_they_do_not_manage(
    client: Client, manager: User, province: Unit
) -> None:
    campaign_services.campaign_create(
        actor=None,
        code="VHCS-2019",
        title="Văn hóa công sở",
        authority=UnitFactory(code="CT", kind=kind("tinh")),
        starts_on=datetime.date(2019, 8, 8),
        ends_on=datetime.date(2019, 12, 31),
        window_opens_on=datetime.date(2019, 11, 1),
        window_closes_on=datetime.date(2019, 11, 30),
    )
    client = logged_in(client, manager)
    before = snapshot()

    response = client.post(IMPORT_URL, {"workbook": upload(good_sheets())})

    assert response.status_code == 422
    assert "Bạn không phụ trách phong trào “VHCS-2019”" in response.content.decode()
    assert snapshot() == before


def test_a_manager_may_not_create_a_campaign_outside_their_units(
    client: Client, manager: User
) -> None:
    response = logged_in(client, manager).get(TEMPLATE_URL)
    before = snapshot()

    refused = client.post(
        IMPORT_URL, {"workbook": SimpleUploadedFile("mau.xlsx", response.content)}
    )

    assert refused.status_code == 422  # the template names no authority the manager holds
    assert "Bạn không phụ trách phong trào" in refused.content.decode()
    assert snapshot() == before


def test_the_template_downloads_as_an_attachment_and_imports_cleanly(
    client: Client, manager: User
) -> None:
    response = logged_in(client, manager).get(TEMPLATE_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-phong-trao.xlsx"'
    summary = campaign_import(actor=None, workbook_file=io.BytesIO(response.content))
    assert summary.campaign.code == "VD-VHCS-2026"


def test_a_superuser_imports_the_template_through_the_page(client: Client) -> None:
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    template = logged_in(client, admin).get(TEMPLATE_URL).content

    response = client.post(IMPORT_URL, {"workbook": SimpleUploadedFile("mau.xlsx", template)})

    assert response.status_code == 302
    assert Campaign.objects.get(code="VD-VHCS-2026").authority is None


# The importer goes through the same rules as the pages -------------------------------------------


def import_as(manager: User, sheets: dict) -> object:
    return campaign_import(workbook_file=io.BytesIO(workbook(sheets)), actor=manager)


def test_a_file_may_not_change_the_scores_of_a_campaign_whose_window_has_opened(
    manager: User, province: Unit
) -> None:
    import_as(manager, good_sheets())
    campaign = Campaign.objects.get(code="VHCS-2019")
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.WINDOW_OPEN)
    sheets = good_sheets()
    sheets["self_scores"][1][2] = 10  # KL-TT 1.1: 9.5 -> 10
    before = snapshot()

    with pytest.raises(WorkbookError) as refused:
        import_as(manager, sheets)

    assert "Trang tính “self_scores”, dòng 2" in str(refused.value.message)
    assert "trang tự chấm điểm và thẩm định" in str(refused.value.message)
    assert snapshot() == before


def test_the_same_file_again_on_a_live_campaign_changes_nothing_and_is_accepted(
    manager: User, province: Unit
) -> None:
    import_as(manager, good_sheets())
    Campaign.objects.filter(code="VHCS-2019").update(status=CampaignStatus.UNDER_REVIEW)
    before = snapshot(MODELS_WITHOUT_CAMPAIGN)

    import_as(manager, good_sheets())

    assert snapshot(MODELS_WITHOUT_CAMPAIGN) == before


def test_a_managers_file_may_not_score_in_the_name_of_an_account_off_the_council(
    manager: User, province: Unit
) -> None:
    UserFactory(username="hd.lan")  # an existing account, not on this campaign's council
    before = snapshot()

    with pytest.raises(WorkbookError) as refused:
        import_as(manager, good_sheets())

    message = str(refused.value.message)
    assert "Trang tính “review_scores”, dòng 2, cột “reviewer”" in message
    assert "không phải thành viên Hội đồng" in message
    assert snapshot() == before

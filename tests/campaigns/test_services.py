"""Campaign services: transitions allowed and refused, the freeze, enrolment, registrations."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns import services
from campaigns.models import (
    Campaign,
    CampaignAttachment,
    CampaignStatus,
    Checklist,
    Criterion,
    Enrolment,
    FrozenChecklistError,
    Registration,
)
from tests.campaigns.conftest import add_criterion
from tests.factories import BlockFactory, MembershipFactory, UnitFactory, UserFactory
from units.models import Unit
from units.roles import Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_create_records_a_draft_with_an_empty_checklist(campaign: Campaign) -> None:
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.checklist is not None and campaign.checklist.campaign == campaign
    assert campaign.events.filter(action="create").count() == 1


def test_create_refuses_dates_out_of_order(district: Unit, manager: User) -> None:
    with pytest.raises(ValidationError) as error:
        services.campaign_create(
            actor=manager,
            code="X",
            title="X",
            authority=district,
            starts_on=datetime.date(2020, 1, 1),
            ends_on=datetime.date(2019, 1, 1),
            window_opens_on=datetime.date(2019, 11, 1),
            window_closes_on=datetime.date(2019, 10, 1),
        )
    assert "ends_on" in error.value.message_dict
    assert not Campaign.objects.filter(code="X").exists()


def test_a_manager_cannot_create_a_campaign_for_another_authority(
    other_manager: User, district: Unit
) -> None:
    with pytest.raises(PermissionDenied):
        services.campaign_create(
            actor=other_manager,
            code="X",
            title="X",
            authority=district,
            starts_on=datetime.date(2019, 1, 1),
            ends_on=datetime.date(2019, 12, 1),
            window_opens_on=datetime.date(2019, 11, 1),
            window_closes_on=datetime.date(2019, 11, 30),
        )
    assert not Campaign.objects.filter(code="X").exists()


def test_create_from_a_template_copies_the_criteria(district: Unit, manager: User) -> None:
    template = Checklist.objects.create(name="Mẫu", is_template=True)
    section = services.criterion_save(
        actor=None, checklist=template, code="I", title="Mục", max_points=Decimal(0)
    )
    services.criterion_save(
        actor=None,
        checklist=template,
        code="1",
        title="Một",
        parent=section,
        max_points=Decimal(10),
        critical=True,
    )
    campaign = services.campaign_create(
        actor=manager,
        code="C",
        title="C",
        authority=district,
        template=template,
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2019, 12, 1),
        window_opens_on=datetime.date(2019, 11, 1),
        window_closes_on=datetime.date(2019, 11, 30),
    )
    copied = Criterion.objects.get(checklist=campaign.checklist, code="1")
    assert copied.parent.code == "I"
    assert copied.critical is True
    assert template.criteria.count() == 2


def test_launch_freezes_the_checklist_and_records_the_change(
    ready_campaign: Campaign, manager: User
) -> None:
    services.campaign_launch(actor=manager, campaign=ready_campaign)
    ready_campaign.refresh_from_db()
    assert ready_campaign.status == CampaignStatus.LAUNCHED
    assert ready_campaign.checklist.is_frozen
    assert ready_campaign.events.filter(
        action="status", old_value="draft", new_value="launched"
    ).exists()


def test_launch_needs_a_scored_criterion(
    campaign: Campaign, communes: list[Unit], manager: User
) -> None:
    services.campaign_enrol(actor=manager, campaign=campaign, units=communes)
    with pytest.raises(ValidationError, match="bộ tiêu chí"):
        services.campaign_launch(actor=manager, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_launch_needs_an_enrolled_unit(campaign: Campaign, manager: User) -> None:
    add_criterion(campaign, "1")
    with pytest.raises(ValidationError, match="đơn vị"):
        services.campaign_launch(actor=manager, campaign=campaign)
    assert not Checklist.objects.get(pk=campaign.checklist_id).is_frozen


def test_only_a_manager_of_the_authority_may_launch(
    ready_campaign: Campaign, other_manager: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.campaign_launch(actor=other_manager, campaign=ready_campaign)
    head = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=head, unit=ready_campaign.authority)
    with pytest.raises(PermissionDenied):
        services.campaign_launch(actor=head, campaign=ready_campaign)
    ready_campaign.refresh_from_db()
    assert ready_campaign.status == CampaignStatus.DRAFT


def test_a_manager_of_a_parent_unit_may_manage(ready_campaign: Campaign) -> None:
    province = UnitFactory(code="KG", name="Tỉnh Kiên Giang")
    ready_campaign.authority.parent = province
    ready_campaign.authority.save()
    provincial = UserFactory(roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=provincial, unit=province, role="officer")
    services.campaign_launch(actor=provincial, campaign=ready_campaign)
    assert ready_campaign.status == CampaignStatus.LAUNCHED


def test_launch_twice_is_refused(ready_campaign: Campaign, manager: User) -> None:
    services.campaign_launch(actor=manager, campaign=ready_campaign)
    with pytest.raises(ValidationError):
        services.campaign_launch(actor=manager, campaign=ready_campaign)


def test_the_whole_life_cycle_in_order(ready_campaign: Campaign, manager: User) -> None:
    services.campaign_launch(actor=manager, campaign=ready_campaign)
    member = UserFactory(roles=[Role.COUNCIL_MEMBER])  # the review needs a council
    services.council_seat_set(actor=manager, campaign=ready_campaign, user=member)
    for action, status in [
        ("open_window", "window_open"),
        ("close_window", "window_closed"),
        ("start_review", "under_review"),
    ]:
        services.campaign_transition(actor=manager, campaign=ready_campaign, action=action)
        assert Campaign.objects.get(pk=ready_campaign.pk).status == status
    services.campaign_set_status(
        actor=manager, campaign=ready_campaign, new="published", allowed_from=["under_review"]
    )
    services.campaign_transition(actor=manager, campaign=ready_campaign, action="close")
    assert Campaign.objects.get(pk=ready_campaign.pk).status == CampaignStatus.CLOSED


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        ("open_window", "Không thể chuyển"),
        ("close_window", "Chỉ đóng tự chấm điểm khi đang trong thời gian tự chấm điểm"),
        ("start_review", "Chỉ bắt đầu thẩm định sau khi đã đóng tự chấm điểm"),
        ("close", "Chỉ kết thúc phong trào sau khi đã công bố kết quả"),
    ],
)
def test_a_transition_from_the_wrong_state_is_refused(
    ready_campaign: Campaign, manager: User, action: str, reason: str
) -> None:
    with pytest.raises(ValidationError, match=reason):
        services.campaign_transition(actor=manager, campaign=ready_campaign, action=action)
    assert Campaign.objects.get(pk=ready_campaign.pk).status == CampaignStatus.DRAFT


def test_beat_opens_and_closes_windows_by_date(ready_campaign: Campaign, manager: User) -> None:
    services.campaign_launch(actor=manager, campaign=ready_campaign)
    assert services.campaigns_advance_windows(today=datetime.date(2019, 10, 31)) == 0
    assert services.campaigns_advance_windows(today=datetime.date(2019, 11, 1)) == 1
    assert Campaign.objects.get(pk=ready_campaign.pk).status == CampaignStatus.WINDOW_OPEN
    assert services.campaigns_advance_windows(today=datetime.date(2019, 11, 30)) == 0
    assert services.campaigns_advance_windows(today=datetime.date(2019, 12, 1)) == 1
    assert Campaign.objects.get(pk=ready_campaign.pk).status == CampaignStatus.WINDOW_CLOSED
    assert services.campaigns_advance_windows(today=datetime.date(2019, 12, 1)) == 0


# The freeze -------------------------------------------------------------------------------------


@pytest.fixture
def launched(ready_campaign: Campaign, manager: User) -> Campaign:
    return services.campaign_launch(actor=manager, campaign=ready_campaign)


def test_a_frozen_checklist_refuses_the_service(launched: Campaign, manager: User) -> None:
    criterion = launched.checklist.criteria.get(code="1.1")
    with pytest.raises(ValidationError):
        services.criterion_save(
            actor=manager, checklist=launched.checklist, criterion=criterion, max_points=Decimal(20)
        )
    with pytest.raises(ValidationError):
        services.criterion_save(actor=manager, checklist=launched.checklist, code="9", title="x")
    with pytest.raises(ValidationError):
        services.criterion_delete(actor=manager, criterion=criterion)
    assert Criterion.objects.get(pk=criterion.pk).max_points == Decimal(10)


def test_a_frozen_checklist_refuses_direct_model_writes(launched: Campaign) -> None:
    criterion = launched.checklist.criteria.get(code="1.1")
    criterion.max_points = Decimal(99)
    with pytest.raises(FrozenChecklistError):
        criterion.save()
    with pytest.raises(FrozenChecklistError):
        criterion.delete()
    with pytest.raises(FrozenChecklistError):
        Criterion.objects.filter(pk=criterion.pk).update(max_points=Decimal(99))
    with pytest.raises(FrozenChecklistError):
        Criterion.objects.filter(checklist=launched.checklist).delete()
    with pytest.raises(FrozenChecklistError):
        Criterion(checklist=launched.checklist, code="new", title="x").save()
    assert Criterion.objects.get(pk=criterion.pk).max_points == Decimal(10)
    assert launched.checklist.criteria.count() == 3


def test_a_new_version_is_possible_before_launch_only(
    ready_campaign: Campaign, manager: User
) -> None:
    first = ready_campaign.checklist
    second = services.checklist_new_version(actor=manager, campaign=ready_campaign)
    assert second.version == 2 and second.criteria.count() == first.criteria.count()
    services.criterion_save(actor=manager, checklist=second, code="2.1", title="Mới")
    assert first.criteria.count() == 3 and second.criteria.count() == 4
    services.campaign_launch(actor=manager, campaign=ready_campaign)
    with pytest.raises(ValidationError):
        services.checklist_new_version(actor=manager, campaign=ready_campaign)


def test_criterion_cycle_is_refused(campaign: Campaign) -> None:
    parent = add_criterion(campaign, "I", max_points=Decimal(0))
    child = add_criterion(campaign, "1", parent=parent)
    with pytest.raises(ValidationError, match="chính nó"):
        services.criterion_save(
            actor=None, checklist=campaign.checklist, criterion=parent, parent=child
        )
    assert Criterion.objects.get(pk=parent.pk).parent is None


def test_duplicate_criterion_code_is_refused(campaign: Campaign) -> None:
    add_criterion(campaign, "1")
    with pytest.raises(ValidationError):
        add_criterion(campaign, "1")
    assert campaign.checklist.criteria.count() == 1


# Enrolment --------------------------------------------------------------------------------------


def test_a_unit_enrolled_twice_is_refused(
    campaign: Campaign, communes: list[Unit], manager: User
) -> None:
    services.campaign_enrol(actor=manager, campaign=campaign, units=communes[:1])
    with pytest.raises(ValidationError, match=communes[0].name):
        services.campaign_enrol(actor=manager, campaign=campaign, units=communes)
    assert campaign.enrolments.count() == 1


def test_enrol_a_subtree(
    campaign: Campaign, district: Unit, communes: list[Unit], manager: User
) -> None:
    UnitFactory(parent=communes[0], name="Ban công tác Mặt trận ấp 1")
    UnitFactory(parent=district, name="Xã cũ", valid_to=datetime.date(2018, 12, 31))
    enrolled = services.campaign_enrol_subtree(
        actor=manager, campaign=campaign, root=district, include_root=False
    )
    assert len(enrolled) == 4
    assert not campaign.enrolments.filter(unit__name="Xã cũ").exists()


def test_enrol_a_block_sets_the_block(
    campaign: Campaign, communes: list[Unit], manager: User
) -> None:
    block = BlockFactory()
    block.members.set(communes[:2])
    services.campaign_enrol_block(actor=manager, campaign=campaign, block=block)
    assert set(campaign.enrolments.values_list("block_id", flat=True)) == {block.pk}
    other = BlockFactory()
    other.members.set(communes[1:])
    with pytest.raises(ValidationError):
        services.campaign_enrol_block(actor=manager, campaign=campaign, block=other)
    assert campaign.enrolments.count() == 2


def test_reopen_needs_a_reason_and_is_recorded(launched: Campaign, manager: User) -> None:
    services.campaign_transition(actor=manager, campaign=launched, action="open_window")
    enrolment = launched.enrolments.first()
    with pytest.raises(ValidationError, match="lý do"):
        services.enrolment_reopen(
            actor=manager, enrolment=enrolment, until=timezone.localdate(), reason=" "
        )
    until = timezone.localdate() + datetime.timedelta(days=3)
    services.enrolment_reopen(actor=manager, enrolment=enrolment, until=until, reason="Mất điện")
    assert Enrolment.objects.get(pk=enrolment.pk).reopened_until == until
    assert launched.events.filter(action="reopen", reason="Mất điện").exists()


# Files -------------------------------------------------------------------------------------------


def test_an_attached_plan_is_stored_under_a_generated_name(
    campaign: Campaign, manager: User, media_root: object
) -> None:
    upload = SimpleUploadedFile("Kế hoạch.pdf", PDF, content_type="application/pdf")
    attachment = services.campaign_attachment_add(
        actor=manager, campaign=campaign, upload=upload, title="Kế hoạch"
    )
    assert attachment.original_name == "Kế hoạch.pdf"
    assert "Kế hoạch" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert attachment.size == len(PDF) and len(attachment.sha256) == 64
    assert attachment.content_type == "application/pdf"


def test_a_file_that_is_not_what_its_name_says_is_refused(
    campaign: Campaign, manager: User, media_root: object
) -> None:
    upload = SimpleUploadedFile("ke-hoach.pdf", PNG)
    with pytest.raises(ValidationError, match="không đúng"):
        services.campaign_attachment_add(actor=manager, campaign=campaign, upload=upload, title="x")
    assert not CampaignAttachment.objects.exists()


def test_a_file_that_is_too_large_is_refused(
    campaign: Campaign, manager: User, settings: object, media_root: object
) -> None:
    settings.UPLOAD_MAX_BYTES = 10  # type: ignore[attr-defined]
    upload = SimpleUploadedFile("ke-hoach.pdf", PDF)
    with pytest.raises(ValidationError, match="quá lớn"):
        services.campaign_attachment_add(actor=manager, campaign=campaign, upload=upload, title="x")
    assert not CampaignAttachment.objects.exists()


def test_conference_with_attending_units_and_a_photo(
    ready_campaign: Campaign, manager: User, communes: list[Unit], media_root: object
) -> None:
    conference = services.conference_record(
        actor=manager,
        campaign=ready_campaign,
        kind="launch",
        held_at=timezone.now(),
        venue="Hội trường UBND huyện",
        chair="Ông Đặng Minh Thành",
        attending_units=communes,
    )
    photo = services.conference_file_add(
        actor=manager,
        conference=conference,
        upload=SimpleUploadedFile("anh.png", PNG),
        kind="photo",
    )
    assert conference.attending_units.count() == 3
    assert photo.content_type == "image/png"
    with pytest.raises(ValidationError):
        services.conference_file_add(
            actor=manager,
            conference=conference,
            upload=SimpleUploadedFile("anh.png", PDF),
            kind="photo",
        )


# Registrations ----------------------------------------------------------------------------------


@pytest.fixture
def head_of_first(ready_campaign: Campaign) -> tuple[User, Enrolment]:
    enrolment = ready_campaign.enrolments.select_related("unit").first()
    head = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=head, unit=enrolment.unit, role="head")
    return head, enrolment


def test_registration_sent_then_returned_then_accepted(
    head_of_first: tuple[User, Enrolment], manager: User
) -> None:
    head, enrolment = head_of_first
    registration = services.registration_send(
        actor=head, enrolment=enrolment, targets="Đạt Hoàn thành xuất sắc"
    )
    assert registration.status == Registration.Status.SENT
    with pytest.raises(ValidationError, match="lý do"):
        services.registration_decide(actor=manager, registration=registration, accept=False)
    services.registration_decide(
        actor=manager, registration=registration, accept=False, reason="Thiếu chỉ tiêu"
    )
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.RETURNED
    services.registration_send(actor=head, enrolment=enrolment, targets="Chỉ tiêu đầy đủ")
    services.registration_decide(actor=manager, registration=registration, accept=True)
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.ACCEPTED
    with pytest.raises(ValidationError):
        services.registration_send(actor=head, enrolment=enrolment, targets="again")


def test_only_the_units_own_head_may_register(
    head_of_first: tuple[User, Enrolment], ready_campaign: Campaign
) -> None:
    head, _enrolment = head_of_first
    other = ready_campaign.enrolments.exclude(pk=_enrolment.pk).first()
    with pytest.raises(PermissionDenied):
        services.registration_send(actor=head, enrolment=other, targets="x")
    assert not Registration.objects.exists()


def test_the_pdf_fixture_is_a_pdf() -> None:
    import filetype

    assert filetype.guess(io.BytesIO(PDF).read()).extension == "pdf"

"""One authority: a manager acts only on their authority's subtree, through every real URL.

Two provinces, A and B, each with two communes, a block and a campaign. The roles: the manager of
A, the manager of B, the head of A's first commune, a staff member of A's second commune, a member
of campaign A's council, anonymous. Each refusal is checked in the response and in the database.
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from campaigns import services as campaign_services
from campaigns.models import Campaign, CampaignStatus, Checklist, Criterion, Enrolment
from tests.assessments.conftest import World as AssessmentWorld
from tests.assessments.conftest import build_world as build_assessment_world
from tests.campaigns.conftest import add_criterion
from tests.factories import MembershipFactory, UnitFactory, UserFactory, kind
from tests.units.workbooks import snapshot, workbook
from units import services as unit_services
from units.models import (
    AuthorityProfile,
    AuthoritySigner,
    Block,
    BlockMember,
    IssuedDocument,
    Membership,
    Unit,
)
from units.roles import Role

pytestmark = pytest.mark.django_db

ROLES = ["manager_a", "manager_b", "head", "staff", "council", "anonymous"]


class World:
    """Authorities A and B, their units, blocks and campaigns, and one user per role."""

    def __init__(self) -> None:
        self.a = UnitFactory(code="A", name="Tỉnh A", kind=kind("tinh"))
        self.b = UnitFactory(code="B", name="Tỉnh B", kind=kind("tinh"))
        self.a1 = UnitFactory(code="A1", name="Xã A Một", parent=self.a)
        self.a2 = UnitFactory(code="A2", name="Xã A Hai", parent=self.a)
        self.b1 = UnitFactory(code="B1", name="Xã B Một", parent=self.b)
        self.b2 = UnitFactory(code="B2", name="Xã B Hai", parent=self.b)
        self.users = {
            "manager_a": self.member("manager_a", Role.CAMPAIGN_MANAGER, self.a, "officer"),
            "manager_b": self.member("manager_b", Role.CAMPAIGN_MANAGER, self.b, "officer"),
            "head": self.member("head_a1", Role.UNIT_HEAD, self.a1, "head"),
            "staff": self.member("staff_a2", Role.UNIT_STAFF, self.a2, "staff"),
            "council": UserFactory(username="council", roles=[Role.COUNCIL_MEMBER]),
        }
        self.head_a2 = self.member("head_a2", Role.UNIT_HEAD, self.a2, "head")
        manager_a, manager_b = self.users["manager_a"], self.users["manager_b"]
        self.block_a = unit_services.block_create(
            actor=manager_a, code="KA", name="Khối A", members=[self.a1, self.a2], head_unit=self.a1
        )
        self.block_b = unit_services.block_create(
            actor=manager_b, code="KB", name="Khối B", members=[self.b1, self.b2], head_unit=self.b1
        )
        self.campaign_a = self.campaign(manager_a, "PT-A", self.a)
        self.campaign_b = self.campaign(manager_b, "PT-B", self.b)
        campaign_services.council_seat_set(
            actor=manager_a, campaign=self.campaign_a, user=self.users["council"]
        )
        add_criterion(self.campaign_b, "B.1", title="Tiêu chí riêng của B")

    @staticmethod
    def member(username: str, role: str, unit: Unit, membership: str) -> User:
        user = UserFactory(username=username, roles=[role])
        MembershipFactory(user=user, unit=unit, role=membership)
        return user

    @staticmethod
    def campaign(actor: User, code: str, authority: Unit) -> Campaign:
        return campaign_services.campaign_create(
            actor=actor,
            code=code,
            title=f"Phong trào {code}",
            authority=authority,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            window_opens_on=datetime.date(2026, 11, 1),
            window_closes_on=datetime.date(2026, 11, 30),
        )

    def client(self, client: Client, role: str) -> Client:
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


@pytest.fixture
def world() -> World:
    return World()


def upload(rows: list[list[object]]) -> SimpleUploadedFile:
    return SimpleUploadedFile("don-vi.xlsx", workbook(rows).getvalue())


def block_state() -> list[tuple[object, ...]]:
    blocks = Block.objects.order_by("code").values_list("code", "name", "year", "head_unit__code")
    members = BlockMember.objects.order_by("block__code", "unit__code")
    return [*blocks, *members.values_list("block__code", "unit__code")]


def refused(response, role: str) -> None:  # type: ignore[no-untyped-def]
    """A role outside the managers never reaches the page: 403, or the login page."""
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 403


# 1. The units workbook --------------------------------------------------------------------------


def test_done_when_manager_b_cannot_pull_a_unit_of_a_under_b(client: Client, world: World) -> None:
    before = snapshot()
    manager_b = world.client(client, "manager_b")

    response = manager_b.post(
        reverse("units:import"), {"file": upload([["A1", "Xã A Một", "xa", "B1"]])}
    )

    assert response.status_code == 422
    assert (
        "Trang tính “units”, dòng 2, cột “code”: đơn vị “A1” nằm ngoài phạm vi bạn phụ trách."
        in response.content.decode()
    )
    assert Unit.objects.get(code="A1").parent == world.a
    assert snapshot() == before
    for page in ("detail", "history", "enrolments", "checklist"):
        url = reverse(f"campaigns:{page}", args=[world.campaign_a.code])
        assert manager_b.get(url).status_code == 403


@pytest.mark.parametrize(
    ("rows", "where"),
    [
        # a good row first: the bad row refuses the whole file, the good row is not written
        (
            [["B3", "Xã B Ba", "xa", "B"], ["B2", "Xã B Hai", "xa", "A1"]],
            "Trang tính “units”, dòng 3, cột “parent_code”: đơn vị cấp trên “A1” nằm ngoài",
        ),
        (
            [["B3", "Xã B Ba", "xa", "B"], ["A9", "Xã A Chín", "xa", "A"]],
            "Trang tính “units”, dòng 3, cột “parent_code”: đơn vị cấp trên “A” nằm ngoài",
        ),
        (
            [["B3", "Xã B Ba", "xa", "B"], ["A2", "Xã A Hai (đổi tên)", "xa", "A"]],
            "Trang tính “units”, dòng 3, cột “code”: đơn vị “A2” nằm ngoài",
        ),
        (
            [["B3", "Xã B Ba", "xa", "B"], ["B", "Tỉnh B", "tinh", "A"]],
            "Trang tính “units”, dòng 3, cột “parent_code”: đơn vị cấp trên “A” nằm ngoài",
        ),
        (
            [["B3", "Xã B Ba", "xa", "B"], ["X", "Tỉnh mới", "tinh", ""]],
            "Trang tính “units”, dòng 3, cột “parent_code”: chỉ quản trị hệ thống",
        ),
    ],
    ids=["move-into-a", "create-under-a", "rename-a-unit", "move-own-root", "new-root"],
)
def test_a_units_file_reaching_outside_the_authority_is_refused_whole(
    client: Client, world: World, rows: list[list[object]], where: str
) -> None:
    before = snapshot()
    response = world.client(client, "manager_b").post(
        reverse("units:import"), {"file": upload(rows)}
    )
    assert response.status_code == 422
    assert where in response.content.decode()
    assert snapshot() == before
    assert not Unit.objects.filter(code="B3").exists()


@pytest.mark.parametrize("role", ["head", "staff", "council", "anonymous"])
def test_only_managers_reach_the_units_import(client: Client, world: World, role: str) -> None:
    before = snapshot()
    response = world.client(client, role).post(
        reverse("units:import"), {"file": upload([["A1", "Xã A Một", "xa", "B1"]])}
    )
    refused(response, role)
    assert snapshot() == before


def test_a_manager_moves_and_renames_units_inside_their_own_authority(
    client: Client, world: World
) -> None:
    rows = [
        ["A", "Tỉnh A (mới)", "tinh", ""],
        ["A2", "Xã A Hai", "xa", "A1"],
        ["A3", "Xã A Ba", "xa", "A2"],
    ]
    response = world.client(client, "manager_a").post(
        reverse("units:import"), {"file": upload(rows)}, follow=True
    )
    assert "1 đơn vị mới, 2 cập nhật, 0 không đổi" in response.content.decode()
    assert Unit.objects.get(code="A").name == "Tỉnh A (mới)"
    assert Unit.objects.get(code="A3").parent.parent.code == "A1"


def test_a_superuser_may_move_any_unit(client: Client, world: World) -> None:
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.post(
        reverse("units:import"), {"file": upload([["A1", "Xã A Một", "xa", "B1"]])}, follow=True
    )
    assert "0 đơn vị mới, 1 cập nhật" in response.content.decode()
    assert Unit.objects.get(code="A1").parent == world.b1


def test_unit_services_check_the_authority_of_the_unit_and_of_its_new_parent(world: World) -> None:
    manager_b, before = world.users["manager_b"], snapshot()
    calls = [
        lambda: unit_services.unit_create(
            actor=manager_b, code="N", name="Mới", kind=kind("xa"), parent=world.a
        ),
        lambda: unit_services.unit_create(actor=manager_b, code="N", name="Mới", kind=kind("tinh")),
        lambda: unit_services.unit_update(actor=manager_b, unit=world.a1, parent=world.b1),
        lambda: unit_services.unit_update(actor=manager_b, unit=world.b1, parent=world.a1),
        lambda: unit_services.unit_update(actor=manager_b, unit=world.a1, name="Đổi tên"),
        lambda: unit_services.unit_rename(
            actor=manager_b, unit=world.a1, name="Mới", code="N", on=datetime.date(2026, 1, 1)
        ),
        lambda: unit_services.unit_merge(
            actor=manager_b, units=[world.a1], into=world.b1, on=datetime.date(2026, 1, 1)
        ),
    ]
    for call in calls:
        with pytest.raises(ValidationError, match="phạm vi bạn phụ trách|quản trị hệ thống"):
            call()
    assert snapshot() == before
    renamed = unit_services.unit_rename(  # the manager's own authority keeps its parent
        actor=manager_b, unit=world.b, name="Tỉnh B mới", code="B-NEW", on=datetime.date(2026, 1, 1)
    )
    assert renamed.parent_id is None and Unit.objects.get(code="B").successor == renamed


# 2. Blocks --------------------------------------------------------------------------------------


def test_manager_b_can_neither_see_nor_edit_a_block_of_a(client: Client, world: World) -> None:
    manager_b, before = world.client(client, "manager_b"), block_state()
    edit = reverse("units:block_edit", args=[world.block_a.pk])

    assert "Khối A" not in manager_b.get(reverse("units:blocks")).content.decode()
    assert "Khối B" in manager_b.get(reverse("units:blocks")).content.decode()
    assert manager_b.get(edit).status_code == 404
    data = {"code": "KA", "name": "Khối của B", "members": [world.b1.pk], "head_unit": world.b1.pk}
    assert manager_b.post(edit, data).status_code == 404
    response = manager_b.post(
        reverse("units:block_add"),
        {"code": "KX", "name": "Khối lấn", "members": [world.a1.pk, world.b1.pk]},
    )
    assert response.status_code == 422  # the units of A are not among the choices
    assert block_state() == before


@pytest.mark.parametrize("role", ["head", "staff", "council", "anonymous"])
def test_only_managers_reach_the_block_pages(client: Client, world: World, role: str) -> None:
    before, user = block_state(), world.client(client, role)
    refused(user.get(reverse("units:blocks")), role)
    data = {"code": "KA", "name": "Đổi", "members": [world.a1.pk], "head_unit": world.a1.pk}
    refused(user.post(reverse("units:block_edit", args=[world.block_a.pk]), data), role)
    assert block_state() == before


def profile_state() -> list[tuple[object, ...]]:
    profiles = AuthorityProfile.objects.order_by("pk").values_list("authority__code", "code")
    signers = AuthoritySigner.objects.order_by("pk").values_list("full_name", "post")
    documents = IssuedDocument.objects.order_by("pk").values_list("reference", "withdrawn_on")
    return [*profiles, *signers, *documents]


def test_manager_b_can_neither_see_nor_change_the_profile_or_register_of_a(
    client: Client, world: World
) -> None:
    manager_a = world.users["manager_a"]
    unit_services.authority_profile_update(
        actor=manager_a,
        authority=world.a,
        issuing_body="ỦY BAN NHÂN DÂN\nTỈNH A",
        name="Ủy ban nhân dân tỉnh A",
        code="UBND",
        place_name="A",
        head_name="Người Đứng Đầu A",
    )
    document = unit_services.document_number_allocate(
        actor=manager_a,
        authority=world.a,
        doc_type="QĐ",
        issued_on=datetime.date(2026, 6, 5),
        subject="Khen thưởng",
    )
    manager_b, before = world.client(client, "manager_b"), profile_state()
    listed = manager_b.get(reverse("units:authorities")).content.decode()
    assert "Tỉnh B" in listed and "Tỉnh A" not in listed
    profile = reverse("units:authority_profile", args=[world.a.pk])
    assert manager_b.get(profile).status_code == 403
    data = {"issuing_body": "B", "name": "B", "code": "B", "place_name": "B", "head_title": "B"}
    assert manager_b.post(profile, data).status_code == 403
    assert manager_b.get(reverse("units:register", args=[world.a.pk])).status_code == 403
    withdraw = reverse("units:document_withdraw", args=[world.a.pk, document.pk])
    assert manager_b.post(withdraw, {"reason": "Lấn quyền"}).status_code == 403
    with pytest.raises(PermissionDenied):
        unit_services.document_number_allocate(
            actor=world.users["manager_b"],
            authority=world.a,
            doc_type="QĐ",
            issued_on=datetime.date(2026, 6, 5),
            subject="Lấn quyền",
        )
    assert profile_state() == before


@pytest.mark.parametrize("role", ["head", "staff", "council", "anonymous"])
def test_only_managers_reach_the_profile_and_register(
    client: Client, world: World, role: str
) -> None:
    before, user = profile_state(), world.client(client, role)
    refused(user.get(reverse("units:authorities")), role)
    profile = reverse("units:authority_profile", args=[world.a.pk])
    refused(user.get(profile), role)
    data = {"issuing_body": "X", "name": "X", "code": "X", "place_name": "X", "head_title": "X"}
    refused(user.post(profile, data), role)
    refused(user.get(reverse("units:register", args=[world.a.pk])), role)
    assert profile_state() == before


def test_block_services_refuse_units_outside_the_authority(world: World) -> None:
    manager_b, before = world.users["manager_b"], block_state()
    with pytest.raises(ValidationError, match="Xã A Một"):
        unit_services.block_create(actor=manager_b, code="KX", name="Khối lấn", members=[world.a1])
    with pytest.raises(ValidationError, match="Xã A Một"):
        unit_services.block_update(
            actor=manager_b, block=world.block_b, name="Khối B", members=[world.b1, world.a1]
        )
    with pytest.raises(ValidationError, match="phạm vi bạn phụ trách"):
        unit_services.block_update(
            actor=manager_b, block=world.block_a, name="Khối A", members=[world.b1]
        )
    assert block_state() == before


# 3. Enrolment -----------------------------------------------------------------------------------


def test_a_campaign_offers_and_enrols_only_blocks_of_its_authority(
    client: Client, world: World
) -> None:
    manager_b = world.client(client, "manager_b")
    enrolments = reverse("campaigns:enrolments", args=[world.campaign_b.code])
    html = manager_b.get(enrolments).content.decode()
    assert "Khối B" in html and "Khối A" not in html

    response = manager_b.post(enrolments, {"block": world.block_a.pk})

    assert response.status_code == 422
    assert not Enrolment.objects.exists()
    response = manager_b.post(
        reverse("campaigns:enrolments", args=[world.campaign_a.code]), {"block": world.block_a.pk}
    )
    assert response.status_code == 403
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("role", ["head", "staff", "council", "anonymous"])
def test_only_the_campaigns_managers_enrol(client: Client, world: World, role: str) -> None:
    url = reverse("campaigns:enrolments", args=[world.campaign_a.code])
    response = world.client(client, role).post(url, {"block": world.block_a.pk})
    refused(response, role)
    assert not Enrolment.objects.exists()


def test_campaign_enrol_refuses_units_and_blocks_outside_the_authority(world: World) -> None:
    manager_b, campaign = world.users["manager_b"], world.campaign_b
    with pytest.raises(ValidationError, match="ngoài phạm vi của cơ quan phát động: Xã A Một"):
        campaign_services.campaign_enrol(actor=manager_b, campaign=campaign, units=[world.a1])
    with pytest.raises(ValidationError, match="Khối “Khối A” có đơn vị nằm ngoài phạm vi"):
        campaign_services.campaign_enrol_block(
            actor=manager_b, campaign=campaign, block=world.block_a
        )
    with pytest.raises(ValidationError, match="ngoài phạm vi"):  # the system keeps the rule too
        campaign_services.campaign_enrol(actor=None, campaign=campaign, units=[world.b1, world.a2])
    assert not Enrolment.objects.exists()
    campaign_services.campaign_enrol_block(actor=manager_b, campaign=campaign, block=world.block_b)
    assert set(campaign.enrolments.values_list("unit__code", flat=True)) == {"B1", "B2"}


# 4. Checklist copy ------------------------------------------------------------------------------


def test_the_checklist_copy_offers_templates_and_the_same_authoritys_campaigns_only(
    client: Client, world: World
) -> None:
    manager_a = world.users["manager_a"]
    template = campaign_services.checklist_save_as_template(
        actor=manager_a, campaign=world.campaign_a
    )
    earlier = World.campaign(manager_a, "PT-A-CU", world.a)
    page = world.client(client, "manager_a").get(
        reverse("campaigns:checklist", args=[world.campaign_a.code])
    )
    sources = list(page.context["source_form"].fields["source"].queryset)
    assert set(sources) == {template, earlier.checklist}
    assert world.campaign_b.checklist not in sources


def test_a_manager_cannot_copy_another_authoritys_checklist(client: Client, world: World) -> None:
    campaign, foreign = world.campaign_a, world.campaign_b.checklist
    checklists, criteria = Checklist.objects.count(), Criterion.objects.count()
    url = reverse("campaigns:checklist_action", args=[campaign.code, "copy"])

    response = world.client(client, "manager_a").post(url, {"source": foreign.pk})

    assert response.status_code == 422  # the checklist page again, the choice refused beside it
    assert response.context["source_form"].has_error("source")
    assert f"Lựa chọn không hợp lệ: “{foreign.pk}”." in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).checklist_id == campaign.checklist_id
    assert (Checklist.objects.count(), Criterion.objects.count()) == (checklists, criteria)
    with pytest.raises(ValidationError, match="cùng cơ quan phát động"):
        campaign_services.checklist_use(
            actor=world.users["manager_a"], campaign=campaign, source=foreign
        )
    assert Checklist.objects.count() == checklists


@pytest.mark.parametrize("role", ["manager_b", "head", "staff", "council", "anonymous"])
def test_only_the_campaigns_managers_copy_a_checklist(
    client: Client, world: World, role: str
) -> None:
    template = campaign_services.checklist_save_as_template(
        actor=world.users["manager_b"], campaign=world.campaign_b
    )
    checklist_id, checklists = world.campaign_a.checklist_id, Checklist.objects.count()
    url = reverse("campaigns:checklist_action", args=[world.campaign_a.code, "copy"])
    refused(world.client(client, role).post(url, {"source": template.pk}), role)
    assert Campaign.objects.get(pk=world.campaign_a.pk).checklist_id == checklist_id
    assert Checklist.objects.count() == checklists


# 5. Reasons -------------------------------------------------------------------------------------


@pytest.fixture
def reasons(world: World) -> World:
    """Campaign A open, each commune's registration returned and its window reopened."""
    manager_a, campaign = world.users["manager_a"], world.campaign_a
    add_criterion(campaign, "1")
    campaign_services.campaign_enrol_block(actor=manager_a, campaign=campaign, block=world.block_a)
    today = timezone.localdate()
    # A window under way: one already past would be closed by the calendar when a page opens.
    campaign_services.campaign_update(
        actor=manager_a,
        campaign=campaign,
        window_opens_on=today - datetime.timedelta(days=5),
        window_closes_on=today + datetime.timedelta(days=20),
    )
    campaign_services.campaign_launch(actor=manager_a, campaign=campaign)
    campaign_services.campaign_transition(actor=manager_a, campaign=campaign, action="open_window")
    until = today + datetime.timedelta(days=7)
    for head, code in ((world.users["head"], "A1"), (world.head_a2, "A2")):
        enrolment = campaign.enrolments.get(unit__code=code)
        registration = campaign_services.registration_send(
            actor=head, enrolment=enrolment, targets="Chỉ tiêu"
        )
        campaign_services.registration_decide(
            actor=manager_a, registration=registration, accept=False, reason=f"Trả lại riêng {code}"
        )
        campaign_services.enrolment_reopen(
            actor=manager_a, enrolment=enrolment, until=until, reason=f"Mở lại riêng {code}"
        )
    assert campaign.status == CampaignStatus.WINDOW_OPEN
    return world


SEES = {"manager_a": {"A1", "A2"}, "council": {"A1", "A2"}, "head": {"A1"}, "staff": {"A2"}}


@pytest.mark.parametrize("tab", ["history", "enrolments"])
@pytest.mark.parametrize("role", ROLES)
def test_unit_members_read_only_their_own_units_reasons(
    client: Client, reasons: World, role: str, tab: str
) -> None:
    events = list(reasons.campaign_a.events.values_list("pk", "reason"))
    enrolments = list(Enrolment.objects.values_list("pk", "reopen_reason"))
    response = reasons.client(client, role).get(
        reverse(f"campaigns:{tab}", args=[reasons.campaign_a.code])
    )
    if role not in SEES:
        refused(response, role)
    else:
        assert response.status_code == 200
        html = response.content.decode()
        for code in ("A1", "A2"):
            shown = code in SEES[role]
            assert (f"Mở lại riêng {code}" in html) is shown
            if tab == "history":
                assert (f"Trả lại riêng {code}" in html) is shown
    assert list(reasons.campaign_a.events.values_list("pk", "reason")) == events  # never saved
    assert list(Enrolment.objects.values_list("pk", "reopen_reason")) == enrolments


# A unit's draft: its own people only, until the first submission ------------------------------


def draft_doors(client: Client, world: AssessmentWorld) -> dict[str, int]:
    """The assessment page, its review page and its evidence: the status each answers."""
    assessment = world.assessment()
    evidence = assessment.items.get(criterion=world.criterion("1.1")).evidence.earliest("pk")
    urls = {
        "assessment": reverse("assessments:assessment", args=[assessment.enrolment_id]),
        "review": reverse("assessments:review", args=[assessment.pk]),
        "evidence": reverse("assessments:evidence", args=[evidence.pk]),
    }
    return {name: client.get(url).status_code for name, url in urls.items()}


@pytest.fixture
def assessment_world(media_root: object) -> AssessmentWorld:
    world = build_assessment_world()
    world.complete()  # scored, evidence attached, never submitted
    return world


def test_a_council_member_sees_a_units_draft_only_once_it_is_submitted(
    client: Client, assessment_world: AssessmentWorld
) -> None:
    world = assessment_world
    client.force_login(world.reviewer)
    assert draft_doors(client, world) == {"assessment": 403, "review": 403, "evidence": 403}
    world.submit()
    assert draft_doors(client, world) == {"assessment": 200, "review": 200, "evidence": 200}


def test_a_returned_or_accepted_assessment_stays_visible_to_its_reviewer(
    client: Client, assessment_world: AssessmentWorld
) -> None:
    world = assessment_world
    world.submit()
    assessment_services.assessment_return(
        actor=world.reviewer, assessment=world.assessment(), reason="Thiếu minh chứng"
    )
    client.force_login(world.reviewer)
    assert draft_doors(client, world) == {"assessment": 200, "review": 200, "evidence": 200}
    assessment = world.assessment()
    assessment_services.assessment_submit(
        actor=world.head_a, assessment=assessment, version=assessment.version
    )
    assessment_services.assessment_accept(actor=world.reviewer, assessment=world.assessment())
    assert draft_doors(client, world) == {"assessment": 200, "review": 200, "evidence": 200}


def test_the_manager_sees_a_units_draft_only_once_it_is_submitted(
    client: Client, assessment_world: AssessmentWorld
) -> None:
    world = assessment_world
    client.force_login(world.manager)
    doors = draft_doors(client, world)
    assert (doors["assessment"], doors["evidence"]) == (403, 403)
    progress = client.get(reverse("assessments:progress", args=[world.campaign.code]))
    page_url = reverse("assessments:assessment", args=[world.enrolment().pk])
    assert page_url not in progress.content.decode()  # the list does not link to the draft
    world.submit()
    doors = draft_doors(client, world)
    assert (doors["assessment"], doors["evidence"]) == (200, 200)
    progress = client.get(reverse("assessments:progress", args=[world.campaign.code]))
    assert page_url in progress.content.decode()


def test_the_units_own_people_work_on_their_draft(
    client: Client, assessment_world: AssessmentWorld
) -> None:
    world = assessment_world
    for user in (world.head_a, world.staff_a):
        client.force_login(user)
        doors = draft_doors(client, world)
        assert (doors["assessment"], doors["evidence"]) == (200, 200)


# 6. Council seats --------------------------------------------------------------------------------


def council_of(campaign: Campaign) -> list[tuple[str, str, object]]:
    seats = campaign.council_seats.order_by("pk")
    return list(seats.values_list("user__username", "role", "valid_to"))


@pytest.mark.parametrize("role", ["manager_b", "head", "staff", "council", "anonymous"])
def test_only_the_campaigns_managers_change_its_council(
    client: Client, world: World, role: str
) -> None:
    campaign = world.campaign_a
    seat = campaign.council_seats.get()
    campaign_services.council_seat_set(
        actor=world.users["manager_b"], campaign=world.campaign_b, user=world.users["council"]
    )
    before = council_of(campaign)
    user = world.client(client, role)
    posts = [
        ("council_add", [], {"user": world.users["head"].pk, "role": "chair"}),
        ("council_role", [seat.pk], {"role": "chair"}),
        ("council_remove", [seat.pk], {"confirmed": "1"}),
        ("council_copy", [], {"source": world.campaign_b.pk}),
    ]
    for name, args, data in posts:
        refused(user.post(reverse(f"campaigns:{name}", args=[campaign.code, *args]), data), role)
    assert council_of(campaign) == before


def test_manager_a_seats_only_accounts_of_a_and_copies_only_councils_of_a(
    client: Client, world: World
) -> None:
    campaign = world.campaign_a
    outsider = World.member("staff_b1", Role.UNIT_STAFF, world.b1, "staff")
    page = world.client(client, "manager_a").get(reverse("campaigns:council", args=[campaign.code]))
    offered = set(page.context["form"].fields["user"].queryset)
    assert world.users["head"] in offered and world.users["staff"] in offered
    assert outsider not in offered and world.users["manager_b"] not in offered
    assert not page.context["has_sources"]  # B's campaign is not offered

    response = client.post(
        reverse("campaigns:council_add", args=[campaign.code]),
        {"user": outsider.pk, "role": "member"},
    )

    assert response.status_code == 422
    with pytest.raises(PermissionDenied, match="không thuộc đơn vị nào của Tỉnh A"):
        campaign_services.council_seat_set(
            actor=world.users["manager_a"], campaign=campaign, user=outsider
        )
    with pytest.raises(ValidationError, match="cùng cơ quan phát động"):
        campaign_services.council_copy(
            actor=world.users["manager_a"], campaign=campaign, source=world.campaign_b
        )
    assert council_of(campaign) == [("council", "member", None)]


# 6. People --------------------------------------------------------------------------------------


def people_state() -> list[tuple[object, ...]]:
    users = User.objects.order_by("username").values_list(
        "username", "first_name", "email", "is_active", "password"
    )
    roles = Membership.objects.order_by("user__username", "unit__code")
    return [*users, *roles.values_list("user__username", "unit__code", "role")]


def people_upload(rows: list[list[object]]) -> SimpleUploadedFile:
    header = ["username", "full_name", "email", "unit_code", "role"]
    return SimpleUploadedFile("nguoi-dung.xlsx", workbook(rows, header, "people").getvalue())


def test_manager_b_can_neither_list_nor_change_the_people_of_a(
    client: Client, world: World
) -> None:
    manager_b, before = world.client(client, "manager_b"), people_state()
    listed = manager_b.get(reverse("units:people")).context["object_list"]
    assert {person.username for person in listed} == set()  # B has nobody but its manager
    head = world.users["head"]
    membership = head.memberships.get()
    assert manager_b.get(reverse("units:person", args=[head.pk])).status_code == 403
    posts = [
        ("units:person_edit", [head.pk], {"full_name": "Đổi", "email": "d@example.invalid"}),
        ("units:person_role", [head.pk], {"unit": world.b1.pk, "role": "staff"}),
        ("units:person_role_remove", [head.pk, membership.pk], {"confirmed": "1"}),
        ("units:person_action", [head.pk, "invite"], {"confirmed": "1"}),
        ("units:person_action", [head.pk, "deactivate"], {"confirmed": "1"}),
    ]
    for name, args, data in posts:
        assert manager_b.post(reverse(name, args=args), data).status_code == 403, name
    assert people_state() == before


def test_a_people_file_reaching_into_a_is_refused_whole(client: Client, world: World) -> None:
    before = people_state()
    rows = [
        ["b_staff", "Cán Bộ B", "b@example.invalid", "B1", "staff"],
        ["head_a1", "Đổi Tên", "x@example.invalid", "B1", "staff"],
    ]
    response = world.client(client, "manager_b").post(
        reverse("units:people_import"), {"file": people_upload(rows)}
    )
    assert response.status_code == 422
    assert (
        "Trang tính “people”, dòng 3, cột “username”: tài khoản “head_a1” nằm ngoài phạm vi"
        in response.content.decode()
    )
    assert people_state() == before


@pytest.mark.parametrize("role", ["head", "staff", "council", "anonymous"])
def test_only_managers_reach_the_people_pages(client: Client, world: World, role: str) -> None:
    before, user = people_state(), world.client(client, role)
    head = world.users["head"]
    refused(user.get(reverse("units:people")), role)
    refused(
        user.post(reverse("units:person_action", args=[head.pk, "deactivate"]), {"confirmed": "1"}),
        role,
    )
    refused(user.post(reverse("units:people_import"), {"file": people_upload([])}), role)
    assert people_state() == before

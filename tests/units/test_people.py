"""People and their roles: the services (authority, history, never deleting), the invitation link,
the `people` sheet and the people pages.

Two provinces, A and B, each with a commune; the manager (officer) of each; A's head of commune.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.invitations import invitation_path
from tests.factories import MembershipFactory, UnitFactory, UserFactory, kind, manager_of
from tests.units.workbooks import workbook
from units import people
from units.models import Membership, PersonEvent
from units.people_sheet import COLUMNS
from units.roles import Role

pytestmark = pytest.mark.django_db

PEOPLE = list(COLUMNS)


class World:
    def __init__(self) -> None:
        self.a = UnitFactory(code="A", name="Tỉnh A", kind=kind("tinh"))
        self.b = UnitFactory(code="B", name="Tỉnh B", kind=kind("tinh"))
        self.a1 = UnitFactory(code="A1", name="Xã Kiên Lương", parent=self.a)
        self.b1 = UnitFactory(code="B1", name="Xã B Một", parent=self.b)
        self.manager_a = manager_of(self.a, username="manager_a")
        self.manager_b = manager_of(self.b, username="manager_b")
        self.head = people.person_create(
            actor=self.manager_a,
            username="head_a1",
            full_name="Trần Thị Lan",
            email="lan@example.invalid",
            unit=self.a1,
            role=Membership.Role.HEAD,
        )


@pytest.fixture
def world() -> World:
    return World()


def accounts() -> list[tuple[object, ...]]:
    """Every account with what a people change may write, and every role."""
    users = User.objects.order_by("username").values_list(
        "username", "first_name", "email", "is_active", "password"
    )
    roles = Membership.objects.order_by("user__username", "unit__code").values_list(
        "user__username", "unit__code", "role"
    )
    return [*users, *roles]


def upload(rows: list[list[object]], sheet: str = "people") -> SimpleUploadedFile:
    return SimpleUploadedFile("nguoi-dung.xlsx", workbook(rows, PEOPLE, sheet).getvalue())


# Services ---------------------------------------------------------------------------------------


def test_a_new_account_has_no_password_a_role_its_portal_role_and_a_history(world: World) -> None:
    head = world.head
    assert not head.has_usable_password()
    assert list(head.memberships.values_list("unit__code", "role")) == [("A1", "head")]
    assert head.groups.filter(name=Role.UNIT_HEAD).exists()
    lines = PersonEvent.objects.filter(person=head).order_by("pk")
    assert [(e.action, e.actor) for e in lines] == [
        ("create", world.manager_a),
        ("role_set", world.manager_a),
        ("invite", world.manager_a),
    ]
    assert lines[1].unit == world.a1 and lines[1].new_value == "Thủ trưởng đơn vị"


def test_a_manager_cannot_touch_the_people_of_another_authority(world: World) -> None:
    before = accounts()
    calls = [
        lambda: people.person_update(
            actor=world.manager_b, person=world.head, full_name="X", email="x@example.invalid"
        ),
        lambda: people.person_invite(actor=world.manager_b, person=world.head),
        lambda: people.person_deactivate(actor=world.manager_b, person=world.head),
        lambda: people.membership_set(
            actor=world.manager_b, user=world.head, unit=world.b1, role="staff"
        ),
        lambda: people.membership_remove(
            actor=world.manager_b, membership=world.head.memberships.get()
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(ValidationError, match="phạm vi bạn phụ trách"):
        people.person_create(
            actor=world.manager_b,
            username="intruder",
            full_name="Kẻ Lấn",
            email="k@example.invalid",
            unit=world.a1,
            role="head",
        )
    assert accounts() == before


def test_a_manager_never_reaches_a_superuser_themselves_or_a_peer_officer(world: World) -> None:
    root = UserFactory(username="root", is_superuser=True)
    MembershipFactory(user=root, unit=world.a1, role="staff")
    peer = manager_of(world.a, username="peer_a")
    for person in (root, world.manager_a, peer):
        with pytest.raises(PermissionDenied):
            people.person_deactivate(actor=world.manager_a, person=person)
    with pytest.raises(ValidationError, match="Chỉ cấp trên"):
        people.membership_set(actor=world.manager_a, user=world.head, unit=world.a, role="officer")
    assert User.objects.filter(is_active=False).count() == 0
    # A commune's officer, below the authority, is the manager's to name.
    people.membership_set(actor=world.manager_a, user=world.head, unit=world.a1, role="officer")
    assert world.head.groups.filter(name=Role.CAMPAIGN_MANAGER).exists()
    assert not world.head.groups.filter(name=Role.UNIT_HEAD).exists()


def test_a_person_who_leaves_is_deactivated_never_deleted(world: World) -> None:
    people.person_deactivate(actor=world.manager_a, person=world.head)
    people.person_deactivate(actor=world.manager_a, person=world.head)  # twice: one line

    head = User.objects.get(username="head_a1")
    assert not head.is_active
    assert head.memberships.count() == 1  # the roles and the history stay
    actions = list(PersonEvent.objects.filter(person=head).values_list("action", flat=True))
    assert actions.count("deactivate") == 1
    with pytest.raises(ValidationError, match="vai trò cuối cùng"):
        people.membership_remove(actor=world.manager_a, membership=head.memberships.get())
    with pytest.raises(ValidationError, match="đã khóa"):
        people.person_invite(actor=world.manager_a, person=head)
    people.person_reactivate(actor=world.manager_a, person=head)
    assert User.objects.get(pk=head.pk).is_active


def test_roles_change_and_go_with_their_portal_role_and_history(world: World) -> None:
    a2 = UnitFactory(code="A2", name="Xã A Hai", parent=world.a)
    people.membership_set(actor=world.manager_a, user=world.head, unit=a2, role="staff")
    people.membership_set(actor=world.manager_a, user=world.head, unit=a2, role="staff")  # no-op
    assert world.head.groups.filter(name=Role.UNIT_STAFF).exists()

    people.membership_remove(
        actor=world.manager_a, membership=Membership.objects.get(user=world.head, unit=a2)
    )

    assert not world.head.groups.filter(name=Role.UNIT_STAFF).exists()
    assert world.head.groups.filter(name=Role.UNIT_HEAD).exists()
    lines = PersonEvent.objects.filter(person=world.head, unit=a2).order_by("pk")
    assert [(e.action, e.old_value, e.new_value) for e in lines] == [
        ("role_set", "", "Cán bộ đơn vị"),
        ("role_remove", "Cán bộ đơn vị", ""),
    ]


def test_an_update_records_each_changed_field(world: World) -> None:
    people.person_update(
        actor=world.manager_a,
        person=world.head,
        full_name="Trần Thị Lan Anh",
        email="lan@example.invalid",
        council_member=True,
    )
    lines = PersonEvent.objects.filter(person=world.head, action__in=["update", "council"])
    assert sorted((e.subject, e.old_value, e.new_value) for e in lines) == [
        ("", "Không", "Có"),
        ("first_name", "Trần Thị Lan", "Trần Thị Lan Anh"),
    ]
    assert world.head.groups.filter(name=Role.COUNCIL_MEMBER).exists()


# The invitation ---------------------------------------------------------------------------------


def invitation_link(django_capture_on_commit_callbacks, **fields: object) -> str:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        people.person_create(**fields)  # type: ignore[arg-type]
    body = mail.outbox[-1].body
    return re.search(r"https?://\S+(/accounts/invitation/\S+/)", body).group(1)  # type: ignore[union-attr]


def new_person(world: World) -> dict[str, object]:
    return {
        "actor": world.manager_a,
        "username": "staff_a1",
        "full_name": "Lê Văn Nam",
        "email": "nam@example.invalid",
        "unit": world.a1,
        "role": "staff",
    }


def set_password(client: Client, link: str) -> object:
    page = client.get(link, follow=True)
    password = "mat-khau-moi-2026!"
    return client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
    )


def test_the_invitation_sets_the_password_once_then_is_refused(
    client: Client, world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    link = invitation_link(django_capture_on_commit_callbacks, **new_person(world))
    assert mail.outbox[-1].to == ["nam@example.invalid"]

    response = set_password(client, link)

    assert response.status_code == 302  # type: ignore[attr-defined]
    person = User.objects.get(username="staff_a1")
    assert person.check_password("mat-khau-moi-2026!")
    again = Client()
    assert "Lời mời không hợp lệ" in again.get(link, follow=True).content.decode()
    assert set_password(again, link).status_code == 400  # type: ignore[attr-defined]


def test_an_expired_invitation_is_refused(
    client: Client, world: World, django_capture_on_commit_callbacks, settings
) -> None:  # type: ignore[no-untyped-def]
    link = invitation_link(django_capture_on_commit_callbacks, **new_person(world))
    settings.PASSWORD_RESET_TIMEOUT = -1  # any link made before now has expired

    assert set_password(client, link).status_code == 400  # type: ignore[attr-defined]
    assert not User.objects.get(username="staff_a1").has_usable_password()


def test_closing_the_account_spends_its_invitation(client: Client, world: World) -> None:
    link = invitation_path(world.head)
    people.person_deactivate(actor=world.manager_a, person=world.head)
    people.person_reactivate(actor=world.manager_a, person=world.head)  # a fresh start
    people.person_deactivate(actor=world.manager_a, person=world.head)
    assert set_password(client, link).status_code == 400  # type: ignore[attr-defined]
    assert not User.objects.get(pk=world.head.pk).has_usable_password()


# The `people` sheet -----------------------------------------------------------------------------

ROWS = [
    ["nam_a1", "Lê Văn Nam", "nam@example.invalid", "A1", "staff"],
    ["nam_a1", "Lê Văn Nam", "nam@example.invalid", "A", "staff"],
    ["head_a1", "Trần Thị Lan", "lan.moi@example.invalid", "A1", "head"],
]


def test_the_people_sheet_imports_twice_without_change(world: World) -> None:
    first = people.people_import(actor=world.manager_a, workbook_file=upload(ROWS))
    assert (first.created, first.updated, first.roles) == (1, 1, 2)
    nam = User.objects.get(username="nam_a1")
    assert not nam.has_usable_password()
    assert set(nam.memberships.values_list("unit__code", "role")) == {
        ("A1", "staff"),
        ("A", "staff"),
    }
    assert PersonEvent.objects.filter(person=nam, action="invite").count() == 1
    before, lines = accounts(), PersonEvent.objects.count()

    second = people.people_import(actor=world.manager_a, workbook_file=upload(ROWS))

    assert (second.created, second.updated, second.unchanged, second.roles) == (0, 0, 2, 0)
    assert accounts() == before
    assert PersonEvent.objects.count() == lines


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        (["x y", "Tên", "x@example.invalid", "A1", "staff"], "dòng 3, cột “username”"),
        (["moi", "Tên", "không-phải-thư", "A1", "staff"], "dòng 3, cột “email”"),
        (["moi", "Tên", "m@example.invalid", "ZZ", "staff"], "dòng 3, cột “unit_code”"),
        (["moi", "Tên", "m@example.invalid", "A1", "boss"], "dòng 3, cột “role”"),
        (["moi", "", "m@example.invalid", "A1", "staff"], "dòng 3, cột “full_name”"),
        (["nam_a1", "Tên Khác", "nam@example.invalid", "A", "head"], "dòng 3, cột “full_name”"),
        (["moi", "Tên", "m@example.invalid", "B1", "staff"], "dòng 3, cột “unit_code”: đơn vị"),
        (["manager_b", "Tên", "m@example.invalid", "A1", "staff"], "dòng 3, cột “username”"),
        (["manager_a", "Tên", "m@example.invalid", "A1", "staff"], "dòng 3, cột “username”"),
        (["moi", "Tên", "m@example.invalid", "A", "officer"], "dòng 3, cột “role”: Chỉ cấp trên"),
    ],
    ids=[
        "username",
        "email",
        "unknown-unit",
        "role",
        "blank-name",
        "two-names",
        "unit-of-b",
        "person-of-b",
        "oneself",
        "own-officer",
    ],
)
def test_a_bad_row_rejects_the_people_file_whole(
    world: World, bad: list[object], where: str
) -> None:
    before, lines = accounts(), PersonEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        people.people_import(actor=world.manager_a, workbook_file=upload([ROWS[0], bad]))
    assert f"Trang tính “people”, {where}" in refused.value.messages[0]
    assert accounts() == before
    assert PersonEvent.objects.count() == lines


def test_a_people_file_never_carries_a_password(world: World) -> None:
    rows = [[*ROWS[0], "mat-khau"]]
    book = workbook(rows, [*PEOPLE, "password"], "people")
    people.people_import(actor=world.manager_a, workbook_file=book)
    assert not User.objects.get(username="nam_a1").has_usable_password()


# Pages ------------------------------------------------------------------------------------------


def test_the_people_page_lists_the_authoritys_people_searched_without_diacritics(
    client: Client, world: World
) -> None:
    people.person_create(
        actor=world.manager_b,
        username="b_head",
        full_name="Lê Thị Bé",
        email="be@example.invalid",
        unit=world.b1,
        role="head",
    )
    client.force_login(world.manager_a)
    listed = client.get(reverse("units:people")).context["object_list"]
    assert [person.username for person in listed] == ["head_a1"]  # not B's, not the manager
    found = client.get(reverse("units:people"), {"q": "tran thi"}).content.decode()
    assert "Trần Thị Lan" in found
    assert (
        "Trần Thị Lan" not in client.get(reverse("units:people"), {"q": "nguyen"}).content.decode()
    )


def test_a_manager_creates_an_account_and_it_is_invited(
    client: Client, world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.manager_a)
    data = {
        "username": "moi",
        "full_name": "Phạm Văn Mới",
        "email": "moi@example.invalid",
        "unit": world.a1.pk,
        "role": "staff",
        "invite": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("units:person_add"), data)
    person = User.objects.get(username="moi")
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["moi@example.invalid"]
    assert "/accounts/invitation/" in mail.outbox[-1].body
    assert person.memberships.get().unit == world.a1
    lines = PersonEvent.objects.filter(person=person).order_by("pk")
    assert [(e.action, e.actor) for e in lines] == [
        ("create", world.manager_a),
        ("role_set", world.manager_a),
        ("invite", world.manager_a),
    ]


def test_a_refused_account_form_answers_422_in_vietnamese(client: Client, world: World) -> None:
    client.force_login(world.manager_a)
    before = accounts()
    data = {
        "username": "head_a1",
        "full_name": "Trùng Tên",
        "email": "t@example.invalid",
        "unit": world.a1.pk,
        "role": "staff",
    }
    response = client.post(reverse("units:person_add"), data)
    assert response.status_code == 422
    assert "Tên đăng nhập “head_a1” đã có." in response.content.decode()
    response = client.post(
        reverse("units:person_add"), {**data, "username": "x", "unit": world.b1.pk}
    )
    assert response.status_code == 422
    assert f"Lựa chọn không hợp lệ: “{world.b1.pk}”." in response.content.decode()
    assert accounts() == before


def test_another_authoritys_manager_gets_403_on_every_person_page(
    client: Client, world: World
) -> None:
    client.force_login(world.manager_b)
    before, pk = accounts(), world.head.pk
    membership = world.head.memberships.get().pk
    assert client.get(reverse("units:person", args=[pk])).status_code == 403
    assert client.get(reverse("units:person_edit", args=[pk])).status_code == 403
    posts = [
        (reverse("units:person_edit", args=[pk]), {"full_name": "X", "email": "x@example.invalid"}),
        (reverse("units:person_role", args=[pk]), {"unit": world.b1.pk, "role": "staff"}),
        (reverse("units:person_role_remove", args=[pk, membership]), {"confirmed": "1"}),
    ]
    posts += [
        (reverse("units:person_action", args=[pk, action]), {"confirmed": "1"})
        for action in ("invite", "deactivate", "reactivate")
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert accounts() == before


@pytest.mark.parametrize("role", ["head", "anonymous"])
def test_only_managers_reach_the_people_pages(client: Client, world: World, role: str) -> None:
    if role == "head":
        client.force_login(world.head)
    for url in (reverse("units:people"), reverse("units:person", args=[world.head.pk])):
        response = client.get(url)
        assert response.status_code == (403 if role == "head" else 302)


def test_deactivation_asks_first_then_closes_the_account(client: Client, world: World) -> None:
    client.force_login(world.manager_a)
    url = reverse("units:person_action", args=[world.head.pk, "deactivate"])
    question = client.post(url)
    assert "Xác nhận: Khóa tài khoản" in question.content.decode()
    assert User.objects.get(pk=world.head.pk).is_active
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not User.objects.get(pk=world.head.pk).is_active
    line = PersonEvent.objects.filter(person=world.head).latest("pk")
    assert (line.action, line.actor) == ("deactivate", world.manager_a)
    head = Client()
    head.force_login(world.head)
    assert head.get(reverse("home")).status_code == 302  # signed out: inactive


def test_the_people_import_page_names_the_bad_cell(client: Client, world: World) -> None:
    client.force_login(world.manager_a)
    before = accounts()
    bad = [ROWS[0], ["moi", "Tên", "m@example.invalid", "B1", "staff"]]
    response = client.post(reverse("units:people_import"), {"file": upload(bad)})
    assert response.status_code == 422
    assert (
        "Trang tính “people”, dòng 3, cột “unit_code”: đơn vị “B1” nằm ngoài phạm vi bạn phụ trách."
        in response.content.decode()
    )
    assert accounts() == before
    response = client.post(reverse("units:people_import"), {"file": upload(ROWS)}, follow=True)
    assert "1 tài khoản mới" in response.content.decode()


def test_memberships_are_read_only_in_the_admin(client: Client, world: World) -> None:
    root = User.objects.create_superuser("root", "root@example.invalid", "pw")
    client.force_login(root)
    url = reverse("admin:units_membership_change", args=[world.head.memberships.get().pk])
    assert client.post(url, {"role": "staff"}).status_code == 403
    assert world.head.memberships.get().role == "head"


def test_a_password_reset_link_opens_signed_out(client: Client, world: World) -> None:
    """The reset page (whose confirm view the invitation builds on) is reached without a session:
    the login requirement does not send its link to the sign-in page."""
    uid = urlsafe_base64_encode(force_bytes(world.head.pk))
    token = default_token_generator.make_token(world.head)
    url = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0].endswith("/set-password/")
    assert "new_password1" in response.content.decode()


def test_the_people_page_costs_the_same_for_three_people_or_thirty(
    client: Client, world: World, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.manager_a)
    client.get(reverse("units:people"))  # warm the session and the content types

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("units:people")).status_code == 200
        return len(queries)

    few = cost()
    for n in range(27):
        people.person_create(
            actor=world.manager_a,
            username=f"nguoi{n}",
            full_name=f"Người Số {n}",
            email=f"n{n}@example.invalid",
            unit=world.a1,
            role="staff",
            invite=False,
        )
    with django_assert_max_num_queries(few):
        assert client.get(reverse("units:people")).status_code == 200


def test_a_role_given_on_the_page_is_recorded_and_a_refused_one_answers_422(
    client: Client, world: World
) -> None:
    client.force_login(world.manager_a)
    a2 = UnitFactory(code="A2", name="Xã A Hai", parent=world.a)
    url = reverse("units:person_role", args=[world.head.pk])

    assert client.post(url, {"unit": a2.pk, "role": "staff"}).status_code == 302
    line = PersonEvent.objects.filter(person=world.head).latest("pk")
    assert (line.action, line.unit, line.actor) == ("role_set", a2, world.manager_a)

    refused = client.post(url, {"unit": world.a.pk, "role": "officer"})
    assert refused.status_code == 422
    assert "Chỉ cấp trên mới giao được vai trò cán bộ phụ trách thi đua" in refused.content.decode()
    assert not Membership.objects.filter(user=world.head, unit=world.a).exists()

    remove = reverse(
        "units:person_role_remove",
        args=[world.head.pk, Membership.objects.get(user=world.head, unit=a2).pk],
    )
    assert client.post(remove, {"confirmed": "1"}).status_code == 302
    line = PersonEvent.objects.filter(person=world.head).latest("pk")
    assert (line.action, line.unit) == ("role_remove", a2)


def test_a_persons_history_names_the_unit_of_each_role_and_who_changed_it(
    client: Client, world: World
) -> None:
    world.manager_a.first_name = "Quản lý A"
    world.manager_a.save()
    people.person_update(
        actor=world.manager_a, person=world.head, full_name="Trần Lan", email="lan@example.invalid"
    )
    client.force_login(world.manager_a)
    page = client.get(reverse("units:person", args=[world.head.pk])).content.decode()
    table = page.split("Lịch sử tài khoản")[1]
    assert "Giao vai trò" in table and "Xã Kiên Lương" in table  # the role's line, by its unit
    assert "Quản lý A" in table and "Trần Thị Lan" in table and "Trần Lan" in table

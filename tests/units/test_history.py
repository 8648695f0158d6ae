"""The history of units: who created or changed a unit, when, from which value to which, by every
entry point (the services, the units workbook, a rename that moves the unit's people)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UnitFactory, kind, manager_of
from tests.units.workbooks import workbook
from units import people
from units import services as unit_services
from units.models import Membership, PersonEvent, UnitEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():  # type: ignore[no-untyped-def]
    return UnitFactory(code="P", name="Tỉnh P", kind=kind("tinh"))


def lines(unit) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    events = UnitEvent.objects.filter(unit=unit).order_by("pk")
    return [(e.action, e.subject, e.old_value, e.new_value) for e in events]


def test_creating_and_changing_a_unit_records_who_and_what(province) -> None:  # type: ignore[no-untyped-def]
    manager = manager_of(province)
    unit = unit_services.unit_create(
        actor=manager, code="X1", name="Xã Một", kind=kind("xa"), parent=province
    )
    unit_services.unit_update(actor=manager, unit=unit, name="Xã Một Mới", email="")

    assert lines(unit) == [
        ("create", "", "", "X1 — Xã Một"),
        ("update", "name", "Xã Một", "Xã Một Mới"),  # the unchanged e-mail is not a line
    ]
    assert set(UnitEvent.objects.filter(unit=unit).values_list("actor", flat=True)) == {manager.pk}


def test_the_units_workbook_records_each_change_once(province) -> None:  # type: ignore[no-untyped-def]
    manager = manager_of(province)
    rows = [["X1", "Xã Một", "xa", "P"], ["X2", "Xã Hai", "xa", "P"]]
    unit_services.units_import(actor=manager, workbook_file=workbook(rows))
    unit_services.units_import(actor=manager, workbook_file=workbook(rows))  # nothing new
    assert UnitEvent.objects.filter(action="create").count() == 2

    rows[1] = ["X2", "Xã Hai", "xa", "X1"]
    unit_services.units_import(actor=manager, workbook_file=workbook(rows))

    x2 = UnitEvent.objects.filter(unit__code="X2").order_by("pk")
    assert [(e.action, e.subject, e.old_value, e.new_value, e.actor) for e in x2] == [
        ("create", "", "", "X2 — Xã Hai", manager),
        ("update", "parent", "P", "X1", manager),
    ]


def test_a_rename_records_the_close_the_link_and_the_people_it_moves(province) -> None:  # type: ignore[no-untyped-def]
    manager = manager_of(province)
    old = UnitFactory(code="X1", name="Xã Một", parent=province)
    head = people.person_create(
        actor=manager,
        username="head",
        full_name="Trần Văn Trưởng",
        email="t@example.invalid",
        unit=old,
        role=Membership.Role.HEAD,
        invite=False,
    )

    new = unit_services.unit_rename(
        actor=manager, unit=old, name="Xã Một Mới", code="X1M", on=datetime.date(2026, 1, 1)
    )

    assert [e[0] for e in lines(old)] == ["close", "link"]
    assert lines(new)[0][0] == "create"
    assert UnitEvent.objects.filter(actor=manager).count() == 3  # the manager's, not the system's
    move = PersonEvent.objects.get(person=head, action="role_move")
    assert (move.old_value, move.new_value, move.actor) == ("X1", "X1M", manager)
    assert head.memberships.get().unit == new


def test_a_units_history_is_shown_to_the_managers_of_its_authority_only(
    client: Client, province
) -> None:  # type: ignore[no-untyped-def]
    manager = manager_of(province)
    unit = unit_services.unit_create(
        actor=manager, code="X1", name="Xã Một", kind=kind("xa"), parent=province
    )
    other = manager_of(UnitFactory(code="Q", kind=kind("tinh")))
    url = reverse("units:detail", args=[unit.pk])
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert "Nhật ký thay đổi" in page and "Tạo đơn vị" in page and "X1 — Xã Một" in page
    client.force_login(other)
    assert "Nhật ký thay đổi" not in client.get(url).content.decode()

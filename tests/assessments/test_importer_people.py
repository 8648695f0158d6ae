"""The campaign workbook's `people` sheet: the same checks and the same service as the people
page's import (units.people_sheet, units.people.people_upsert), inside the workbook's one
transaction: accounts of the units' people, invited, no password in the file."""

import io

import pytest
from django.contrib.auth.models import User
from django.core import mail

from assessments.exchange import WorkbookError, campaign_import
from tests.assessments.workbooks import MODELS, Sheets, good_sheets, snapshot, workbook
from tests.factories import UnitFactory, kind, manager_of
from units.models import Membership, PersonEvent, Unit

pytestmark = pytest.mark.django_db

PEOPLE_MODELS = [*MODELS, Membership, PersonEvent]


@pytest.fixture
def province() -> Unit:
    return UnitFactory(code="KG", name="Tỉnh Kiên Giang", kind=kind("tinh"))


def with_people(*rows: list[object]) -> Sheets:
    sheets = good_sheets()
    sheets["people"] = [["username", "full_name", "email", "unit_code", "role"], *rows]
    return sheets


def run(sheets: Sheets, actor: User | None = None):  # type: ignore[no-untyped-def]
    return campaign_import(workbook_file=io.BytesIO(workbook(sheets)), actor=actor)


GOOD = [
    ["tt.truong", "Nguyễn Văn Trưởng", "truong@example.invalid", "KL-TT", "head"],
    ["tt.truong", "Nguyễn Văn Trưởng", "truong@example.invalid", "KL-HND", "staff"],
]


def test_the_people_sheet_makes_invited_accounts_with_their_roles(
    province: Unit, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        summary = run(with_people(*GOOD), actor=manager_of(province))
    person = User.objects.get(username="tt.truong")
    assert not person.has_usable_password()
    assert set(person.memberships.values_list("unit__code", "role")) == {
        ("KL-TT", "head"),
        ("KL-HND", "staff"),
    }
    assert summary.created["person"] == 1 and summary.created["membership"] == 2
    assert [message.to for message in mail.outbox] == [["truong@example.invalid"]]


def test_the_people_sheet_imported_twice_changes_nothing(province: Unit) -> None:
    manager = manager_of(province)
    run(with_people(*GOOD), actor=manager)
    before = snapshot(PEOPLE_MODELS)

    summary = run(with_people(*GOOD), actor=manager)

    assert snapshot(PEOPLE_MODELS) == before
    assert not summary.changed


def test_a_bad_people_row_refuses_the_whole_workbook(province: Unit) -> None:
    other = UnitFactory(code="CT", name="Thành phố Cần Thơ", kind=kind("tinh"))
    manager = manager_of(province)
    before = snapshot(PEOPLE_MODELS)
    bad = ["ct.nguoi", "Người Cần Thơ", "ct@example.invalid", other.code, "staff"]
    with pytest.raises(WorkbookError) as refused:
        run(with_people(GOOD[0], bad), actor=manager)
    error = refused.value
    assert (error.sheet, error.row, error.column) == ("people", 3, "unit_code")
    assert "nằm ngoài phạm vi bạn phụ trách" in str(error.message)
    assert snapshot(PEOPLE_MODELS) == before  # not even the campaign, its units or the first row

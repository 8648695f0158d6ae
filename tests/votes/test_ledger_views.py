"""The ledger's pages: the authority's list (search without diacritics, filters, pages), its
.xlsx export, its import, a unit's awards and the awards on a unit's and a person's page; an
officer of another authority reads none of it (404 or an empty list)."""

import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from tests.factories import MembershipFactory, UserFactory
from units.roles import Role
from votes.models import AwardEntry

from .ledger import Ledger, awards_workbook, imported, ledger_world, row

pytestmark = pytest.mark.django_db
LEDGER = "/council/ledger/"


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world() -> Ledger:
    world = ledger_world()
    imported(
        world.commune,
        [
            row(world.farmers),
            row(world.farmers, year=2023, decision_number="30/QĐ-UBND"),
            row(world.commune, recipient_kind="collective", person_name=None, award_code="TTLDTT"),
        ],
    )
    imported(world.other, [row(world.other_farmers, person_name="Lê Thị Hoa")])
    return world


def shown(response: object) -> list[AwardEntry]:
    return list(response.context["entries"])  # type: ignore[attr-defined]


def test_the_province_reads_every_communes_entries_and_a_commune_its_own(world: Ledger) -> None:
    page = client_of(world.province_officer).get(LEDGER)
    assert page.status_code == 200
    assert len(shown(page)) == 4
    page = client_of(world.officer).get(LEDGER)
    assert {e.person_name for e in shown(page)} == {"Trần Văn Phúc", ""}
    history = list(page.context["events"])  # the commune's own lines only
    assert len(history) == 3 and {e.get_action_display() for e in history} == {
        "Nhập khen thưởng các năm trước"
    }
    assert "Lê Thị Hoa" not in page.content.decode()
    assert "Hội Nông dân xã Hòa Điền" not in page.content.decode()


def test_search_without_diacritics_and_filters(world: Ledger) -> None:
    client = client_of(world.province_officer)
    found = shown(client.get(LEDGER, {"q": "hoa dien"}))
    assert [e.person_name for e in found] == ["Lê Thị Hoa"]
    found = shown(client.get(LEDGER, {"q": "KIEN LUONG", "year": 2023}))
    assert [(e.person_name, e.year) for e in found] == [("Trần Văn Phúc", 2023)]
    found = shown(client.get(LEDGER, {"recipient_kind": "collective"}))
    assert [e.unit_name for e in found] == ["Xã Kiên Lương"]
    farmers = shown(client.get(LEDGER, {"unit": world.other_farmers.pk}))
    assert [e.person_name for e in farmers] == ["Lê Thị Hoa"]
    ttldtt = AwardEntry.objects.get(recipient_kind="collective").award_id
    assert len(shown(client.get(LEDGER, {"award": ttldtt}))) == 1
    refused = client.get(LEDGER, {"year": "abc"})
    assert refused.status_code == 200 and shown(refused) == []


def test_another_communes_unit_is_no_filter_choice(world: Ledger) -> None:
    page = client_of(world.officer).get(LEDGER, {"unit": world.other_farmers.pk})
    assert shown(page) == []
    assert page.context["filter"].errors


def test_the_ledger_pages_by_50_in_few_queries(
    world: Ledger, django_assert_max_num_queries: object
) -> None:
    rows = [row(world.farmers, year=2024, person_name=f"Người thứ {i}") for i in range(70)]
    imported(world.commune, rows)
    client = client_of(world.province_officer)
    client.get(LEDGER)  # warm the session and the user's groups
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        page = client.get(LEDGER)
    assert len(shown(page)) == 50
    assert page.context["page_obj"].paginator.count == 74
    second = client.get(LEDGER, {"page": 2, "q": "nguoi thu"})
    assert len(shown(second)) == 20


def test_the_export_lists_the_filtered_entries_with_column_widths(world: Ledger) -> None:
    response = client_of(world.province_officer).get(LEDGER + "export.xlsx", {"q": "kien luong"})
    assert response.status_code == 200
    assert "so-khen-thuong.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Năm", "Đối tượng", "Họ tên")
    assert len(rows) == 4  # the header and the commune's three
    assert {r[2] for r in rows[1:]} == {"Trần Văn Phúc", None}  # None: the collective
    assert sheet.column_dimensions["C"].width >= 30
    assert sheet.column_dimensions["E"].width >= 45


def test_another_authoritys_officer_exports_none_of_it(world: Ledger) -> None:
    response = client_of(world.other_officer).get(LEDGER + "export.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    names = {r[2] for r in list(book.active.iter_rows(values_only=True))[1:]}
    assert names == {"Lê Thị Hoa"}


def test_a_units_awards_are_its_authoritys_only(world: Ledger) -> None:
    url = f"{LEDGER}units/{world.farmers.pk}/"
    page = client_of(world.officer).get(url)
    assert page.status_code == 200
    assert "Trần Văn Phúc" in page.content.decode()
    assert client_of(world.other_officer).get(url).status_code == 404
    assert client_of(world.province_officer).get(url).status_code == 200


def test_the_ledger_is_for_officers(world: Ledger) -> None:
    head = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=head, unit=world.farmers, role="head")
    client = client_of(head)
    assert client.get(LEDGER).status_code == 403
    assert client.get(LEDGER + "export.xlsx").status_code == 403
    assert client.get(LEDGER + "import/").status_code == 403
    assert client.get(f"{LEDGER}units/{world.farmers.pk}/").status_code == 403


def test_the_unit_page_lists_its_awards_for_its_managers(world: Ledger) -> None:
    url = f"/units/{world.farmers.pk}/"
    text = client_of(world.officer).get(url).content.decode()
    assert "Khen thưởng đã nhận" in text and "12/QĐ-UBND" in text
    text = client_of(world.other_officer).get(url).content.decode()
    assert "Khen thưởng đã nhận" not in text and "12/QĐ-UBND" not in text


def test_the_person_page_lists_their_awards(world: Ledger) -> None:
    person = UserFactory(first_name="Trần Văn Phúc")
    MembershipFactory(user=person, unit=world.farmers, role="staff")
    namesake = UserFactory(first_name="Trần Văn Phúc")  # the same name at another unit
    MembershipFactory(user=namesake, unit=world.other_farmers, role="staff")
    text = client_of(world.officer).get(f"/units/people/{person.pk}/").content.decode()
    assert "Khen thưởng đã nhận" in text
    assert "12/QĐ-UBND" in text and "30/QĐ-UBND" in text
    text = client_of(world.other_officer).get(f"/units/people/{namesake.pk}/").content.decode()
    assert "12/QĐ-UBND" not in text


def test_the_import_page_brings_a_file_in_and_shows_a_refusal(world: Ledger) -> None:
    client = client_of(world.officer)
    book = awards_workbook([row(world.farmers, year=2022, decision_number="5/QĐ-UBND")])
    response = client.post(
        LEDGER + "import/", {"authority": world.commune.pk, "file": book}, follow=True
    )
    assert "Đã nhập 1 khen thưởng vào sổ" in response.content.decode()
    assert AwardEntry.objects.filter(decision_number="5/QĐ-UBND").exists()
    bad = awards_workbook([row(world.other_farmers, decision_number="6/QĐ-UBND")])
    refused = client.post(LEDGER + "import/", {"authority": world.commune.pk, "file": bad})
    assert refused.status_code == 422
    assert "Trang tính “awards”, dòng 2, cột “unit_code”" in refused.content.decode()
    assert not AwardEntry.objects.filter(decision_number="6/QĐ-UBND").exists()
    # another authority is no choice of the form
    foreign = client.post(
        LEDGER + "import/",
        {"authority": world.other.pk, "file": awards_workbook([row(world.other_farmers)])},
    )
    assert foreign.status_code == 422


def test_a_units_awards_page_reads_in_few_queries(
    world: Ledger, django_assert_max_num_queries: object
) -> None:
    rows = [row(world.farmers, year=2024, person_name=f"Người thứ {i}") for i in range(40)]
    imported(world.commune, rows)
    client = client_of(world.officer)
    url = f"{LEDGER}units/{world.farmers.pk}/"
    client.get(url)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        page = client.get(url)
    assert len(page.context["entries"]) == 42
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        unit_page = client.get(f"/units/{world.farmers.pk}/")
    assert "Người thứ 39" in unit_page.content.decode()

"""The authority's profile and document register: the profile heads every document, the
register gives numbers 1, 2, ... per year and document type, never twice, and only a manager of
the authority touches either, through the services and through the pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories import UnitFactory, authority_profile_of, kind, manager_of
from units import services
from units.models import AuthorityEvent, AuthorityProfile, IssuedDocument

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 5)


@pytest.fixture
def commune():  # type: ignore[no-untyped-def]
    return UnitFactory(code="XKL", name="Xã Kiên Lương", kind=kind("xa"))


@pytest.fixture
def other():  # type: ignore[no-untyped-def]
    return UnitFactory(code="XHD", name="Xã Hòa Điền", kind=kind("xa"))


def allocate(authority, doc_type="QĐ", day=DAY, actor=None):  # type: ignore[no-untyped-def]
    return services.document_number_allocate(
        actor=actor, authority=authority, doc_type=doc_type, issued_on=day, subject="Khen thưởng"
    )


def logged_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_profile_keeps_the_letterhead_signers_and_its_history(commune) -> None:  # type: ignore[no-untyped-def]
    manager = manager_of(commune)
    profile = services.authority_profile_update(
        actor=manager,
        authority=commune,
        issuing_body="ỦY BAN NHÂN DÂN\n  XÃ KIÊN LƯƠNG  \n",
        name="Ủy ban nhân dân xã Kiên Lương",
        code="UBND",
        place_name="Kiên Lương",
        head_name="Nguyễn Văn An",
        deputy_names=["Trần Văn Bình", "Lê Thị Cúc"],
    )
    assert profile.issuing_lines == ["ỦY BAN NHÂN DÂN", "XÃ KIÊN LƯƠNG"]
    assert profile.reference(12, "QĐ") == "12/QĐ-UBND"
    assert [str(s) for s in profile.signer_list()] == [
        "Chủ tịch Nguyễn Văn An",
        "Phó Chủ tịch Trần Văn Bình",
        "Phó Chủ tịch Lê Thị Cúc",
    ]
    assert profile.head.full_name == "Nguyễn Văn An"
    services.authority_profile_update(
        actor=manager,
        authority=commune,
        issuing_body="ỦY BAN NHÂN DÂN\nXÃ KIÊN LƯƠNG",
        name="Ủy ban nhân dân xã Kiên Lương",
        code="UBND",
        place_name="Kiên Lương",
        head_name="Nguyễn Văn An",
        deputy_names=["Trần Văn Bình"],
    )
    events = AuthorityEvent.objects.filter(authority=commune, actor=manager).order_by("pk")
    changed = [(e.action, e.subject) for e in events]
    assert ("profile_update", "chữ viết tắt tên cơ quan") in changed
    assert changed[-1] == ("signers_set", "Người ký")  # the second save changed the deputies only
    assert events.last().new_value == "Chủ tịch Nguyễn Văn An; Phó Chủ tịch Trần Văn Bình"


def test_a_manager_of_another_authority_cannot_change_the_profile(commune, other) -> None:  # type: ignore[no-untyped-def]
    authority_profile_of(commune)
    stranger = manager_of(other)
    with pytest.raises(PermissionDenied):
        services.authority_profile_update(
            actor=stranger,
            authority=commune,
            issuing_body="KHÁC",
            name="Khác",
            code="KHAC",
            place_name="Khác",
        )
    assert AuthorityProfile.objects.get(authority=commune).code == "UBND"
    assert not AuthorityEvent.objects.filter(actor=stranger).exists()


def test_a_short_name_with_a_slash_or_small_letters_is_refused(commune) -> None:  # type: ignore[no-untyped-def]
    for bad in ("UBND/X", "ubnd", "UB ND"):
        with pytest.raises(ValidationError):
            services.authority_profile_update(
                actor=None,
                authority=commune,
                issuing_body="ỦY BAN NHÂN DÂN",
                name="Ủy ban",
                code=bad,
                place_name="Kiên Lương",
            )
    assert not AuthorityProfile.objects.exists()
    services.authority_profile_update(
        actor=None,
        authority=commune,
        issuing_body="HỘI ĐỒNG",
        name="Hội đồng",
        code="HĐTĐKT",  # capitals with Đ are fine
        place_name="Kiên Lương",
    )


def test_numbers_run_from_1_per_year_and_document_type(commune, other) -> None:  # type: ignore[no-untyped-def]
    authority_profile_of(commune)
    authority_profile_of(other, name="Ủy ban nhân dân xã Hòa Điền")
    assert allocate(commune).reference == "1/QĐ-UBND"
    assert allocate(commune).reference == "2/QĐ-UBND"
    assert allocate(commune, doc_type="TTr").reference == "1/TTr-UBND"
    assert allocate(commune, day=datetime.date(2027, 1, 2)).reference == "1/QĐ-UBND"
    assert allocate(other).reference == "1/QĐ-UBND"  # another authority, its own register
    assert allocate(commune, day=datetime.date(2026, 12, 31)).number == 3
    years = IssuedDocument.objects.filter(authority=commune, doc_type="QĐ")
    assert sorted(years.values_list("year", "number")) == [
        (2026, 1),
        (2026, 2),
        (2026, 3),
        (2027, 1),
    ]


def test_a_withdrawn_number_is_never_given_again(commune) -> None:  # type: ignore[no-untyped-def]
    authority_profile_of(commune)
    allocate(commune)
    second = allocate(commune)
    services.issued_document_withdraw(actor=None, document=second, on=DAY, reason="Ban hành nhầm")
    assert allocate(commune).reference == "3/QĐ-UBND"
    second.refresh_from_db()
    assert second.withdrawn_on == DAY and second.withdraw_reason == "Ban hành nhầm"
    with pytest.raises(ValidationError):
        services.issued_document_withdraw(actor=None, document=second, on=DAY, reason="Lần nữa")


def test_no_number_without_a_profile_nor_from_another_authoritys_register(commune, other) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="chưa có hồ sơ"):
        allocate(commune)
    authority_profile_of(commune)
    with pytest.raises(PermissionDenied):
        allocate(commune, actor=manager_of(other))
    first = allocate(commune, actor=manager_of(commune))
    with pytest.raises(PermissionDenied):
        services.issued_document_withdraw(
            actor=manager_of(other), document=first, on=DAY, reason="Không phải của tôi"
        )
    assert IssuedDocument.objects.get().withdrawn_on is None
    assert list(IssuedDocument.objects.values_list("number", flat=True)) == [1]


def test_the_profile_page_saves_through_the_service_and_shows_the_heading(commune) -> None:  # type: ignore[no-untyped-def]
    manager = manager_of(commune)
    client = logged_in(manager)
    url = reverse("units:authority_profile", args=[commune.pk])
    page = client.get(url).content.decode()
    assert "Chưa có hồ sơ" in page
    data = {
        "parent_body": "",
        "issuing_body": "ỦY BAN NHÂN DÂN\r\nXÃ KIÊN LƯƠNG",
        "name": "Ủy ban nhân dân xã Kiên Lương",
        "code": "UBND",
        "place_name": "Kiên Lương",
        "head_title": "Chủ tịch",
        "head_name": "Nguyễn Văn An",
        "deputy_names": "Trần Văn Bình\r\n\r\nLê Thị Cúc",
    }
    assert client.post(url, data).status_code == 302
    profile = AuthorityProfile.objects.get(authority=commune)
    assert profile.issuing_body == "ỦY BAN NHÂN DÂN\nXÃ KIÊN LƯƠNG"
    assert [s.full_name for s in profile.signer_list()] == [
        "Nguyễn Văn An",
        "Trần Văn Bình",
        "Lê Thị Cúc",
    ]
    assert AuthorityEvent.objects.filter(authority=commune, actor=manager).exists()
    page = client.get(url).content.decode()
    assert "ỦY BAN NHÂN DÂN<br>XÃ KIÊN LƯƠNG" in page and "1/QĐ-UBND" in page
    assert "Phó Chủ tịch: Lê Thị Cúc" in page
    assert "Trần Văn Bình\nLê Thị Cúc" in page  # the form shows the deputies again, one a line


def test_a_refused_profile_answers_422_beside_the_field_and_saves_nothing(commune) -> None:  # type: ignore[no-untyped-def]
    client = logged_in(manager_of(commune))
    response = client.post(
        reverse("units:authority_profile", args=[commune.pk]),
        {
            "issuing_body": "UBND",
            "name": "Ủy ban",
            "code": "12/QĐ",
            "place_name": "",
            "head_title": "Chủ tịch",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Chỉ dùng chữ in hoa, chữ số và dấu gạch nối" in page
    assert 'href="#id_place_name"' in page  # the summary links to the empty place
    assert not AuthorityProfile.objects.exists()


def test_another_authoritys_profile_and_register_answer_403(commune, other) -> None:  # type: ignore[no-untyped-def]
    authority_profile_of(commune)
    document = allocate(commune)
    client = logged_in(manager_of(other))
    assert client.get(reverse("units:authority_profile", args=[commune.pk])).status_code == 403
    response = client.post(
        reverse("units:authority_profile", args=[commune.pk]),
        {"issuing_body": "X", "name": "X", "code": "X", "place_name": "X", "head_title": "X"},
    )
    assert response.status_code == 403
    assert client.get(reverse("units:register", args=[commune.pk])).status_code == 403
    withdraw = reverse("units:document_withdraw", args=[commune.pk, document.pk])
    assert client.post(withdraw, {"reason": "Không phải của tôi"}).status_code == 403
    document.refresh_from_db()
    assert document.withdrawn_on is None
    assert AuthorityProfile.objects.get(authority=commune).code == "UBND"
    listed = client.get(reverse("units:authorities")).content.decode()
    assert "Xã Hòa Điền" in listed and "Xã Kiên Lương" not in listed


def test_the_register_page_lists_the_numbers_and_withdraws_with_a_reason(commune) -> None:  # type: ignore[no-untyped-def]
    authority_profile_of(commune)
    first, second = allocate(commune), allocate(commune, day=datetime.date(2027, 3, 1))
    client = logged_in(manager_of(commune))
    url = reverse("units:register", args=[commune.pk])
    page = client.get(url).content.decode()
    assert "1/QĐ-UBND" in page and "05/06/2026" in page and "01/03/2027" in page
    only_2027 = client.get(url, {"year": "2027"}).content.decode()
    assert "05/06/2026" not in only_2027 and "01/03/2027" in only_2027
    withdraw = reverse("units:document_withdraw", args=[commune.pk, first.pk])
    refused = client.post(withdraw, {"reason": ""})
    assert refused.status_code == 422
    first.refresh_from_db()
    assert first.withdrawn_on is None
    assert client.post(withdraw, {"reason": "Ban hành nhầm"}).status_code == 302
    first.refresh_from_db()
    assert first.withdraw_reason == "Ban hành nhầm"
    assert "Ban hành nhầm" in client.get(url).content.decode()
    assert second.withdrawn_on is None


def test_the_profile_page_names_the_system_for_a_change_it_made(commune) -> None:  # type: ignore[no-untyped-def]
    authority_profile_of(commune)  # as the demo and the commands do: no acting user
    page = logged_in(manager_of(commune)).get(reverse("units:authority_profile", args=[commune.pk]))
    assert page.status_code == 200
    assert "hệ thống" in page.content.decode()


def test_a_refused_withdrawal_links_to_its_rows_reason_or_says_why_at_the_top(commune) -> None:  # type: ignore[no-untyped-def]
    authority_profile_of(commune)
    document = allocate(commune)
    client = logged_in(manager_of(commune))
    withdraw = reverse("units:document_withdraw", args=[commune.pk, document.pk])
    refused = client.post(withdraw, {"reason": ""})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert f'href="#id_reason_{document.pk}"' in page and f'id="id_reason_{document.pk}"' in page
    assert client.post(withdraw, {"reason": "Ban hành nhầm"}).status_code == 302
    again = client.post(withdraw, {"reason": ""})  # its row has no reason box any more
    assert again.status_code == 422
    assert "Trường này là bắt buộc." in again.content.decode()
    assert f'href="#id_reason_{document.pk}"' not in again.content.decode()

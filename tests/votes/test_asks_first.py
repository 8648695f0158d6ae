"""The council's irreversible steps ask first, with what they will do in numbers: opening the
vote (members present, nominations), closing the session (who has not voted on what; a close
that loses ballots needs its tick box, refused without it) and casting a ballot (the choice
shown back once)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from tests.hostile.shown import is_confirmation, refused_forms, unshown
from votes import selectors, services
from votes.models import SessionStatus, VoteReceipt

from .conftest import Council, make_council

pytestmark = pytest.mark.django_db


def url(council: Council, action: str) -> str:
    return reverse("votes:action", args=[council.session.campaign.code, council.session.pk, action])


def as_secretary(client: Client, council: Council) -> Client:
    client.force_login(council.members[0])
    return client


def status(council: Council) -> str:
    council.session.refresh_from_db()
    return council.session.status


def text(response: object) -> str:
    page = lxml_html.fromstring(response.content.decode())  # type: ignore[attr-defined]
    return " ".join(page.text_content().split())


# Opening the vote ---------------------------------------------------------------------------------


def test_opening_the_vote_asks_first_with_the_members_present_and_the_nominations(
    client: Client,
) -> None:
    council = make_council(4)
    council.attend(3)
    response = as_secretary(client, council).post(url(council, "open"))
    assert response.status_code == 200 and is_confirmation(response)
    assert "3/4 thành viên có mặt và 1 đề nghị" in text(response)
    assert status(council) == SessionStatus.PLANNED, "a question writes nothing"
    response = client.post(url(council, "open"), {"confirmed": "1"})
    assert response.status_code == 302
    assert status(council) == SessionStatus.VOTING


def test_the_session_page_asks_in_its_dialog_with_the_same_numbers(client: Client) -> None:
    council = make_council(4)
    council.attend(3)
    response = as_secretary(client, council).get(
        reverse("votes:session", args=[council.session.campaign.code, council.session.pk])
    )
    page = lxml_html.fromstring(response.content.decode())
    form = page.xpath("//form[@action=$url]", url=url(council, "open"))[0]
    assert "3/4 thành viên có mặt và 1 đề nghị" in form.get("data-confirm")


def test_opening_without_a_quorum_is_refused_before_anything_is_asked(client: Client) -> None:
    council = make_council(4)
    council.attend(1)
    response = as_secretary(client, council).post(url(council, "open"))
    assert response.status_code == 422 and not is_confirmation(response)
    assert "Chưa đủ số thành viên có mặt" in text(response)
    assert status(council) == SessionStatus.PLANNED


# Closing the session -----------------------------------------------------------------------------


def test_the_missing_ballots_name_who_has_not_voted_on_what() -> None:
    council = make_council(4)
    council.open(present=3)
    council.vote("yy")
    missing = selectors.missing_ballots(council.session)
    assert [m.member for m in missing] == ["Thành viên 2"]
    assert missing[0].nominations == [council.nomination]
    assert council.nomination.nominee in str(missing[0])


def test_the_service_refuses_a_close_that_loses_ballots_unless_accepted() -> None:
    council = make_council(4)
    council.open(present=3)
    council.vote("y")
    with pytest.raises(ValidationError) as refused:
        services.session_close(actor=None, session=council.session)
    assert refused.value.code == "missing_ballots"
    assert "Còn 2 thành viên có mặt chưa biểu quyết đủ" in refused.value.messages[0]
    assert status(council) == SessionStatus.VOTING
    council.close(missing_accepted=True)
    assert status(council) == SessionStatus.CLOSED


def test_a_close_with_every_ballot_cast_needs_no_tick_box(client: Client) -> None:
    council = make_council(3)
    council.open()
    council.vote("yyn")
    response = as_secretary(client, council).post(url(council, "close"))
    assert is_confirmation(response)
    assert "Mọi thành viên có mặt đã biểu quyết" in text(response)
    assert status(council) == SessionStatus.VOTING
    assert client.post(url(council, "close"), {"confirmed": "1"}).status_code == 302
    assert status(council) == SessionStatus.CLOSED


@pytest.mark.parametrize("confirmed", [{}, {"confirmed": "1"}])
def test_a_close_with_missing_ballots_is_refused_without_its_tick_box(
    client: Client, confirmed: dict[str, str]
) -> None:
    council = make_council(5)
    council.open()
    council.vote("y")
    response = as_secretary(client, council).post(url(council, "close"), confirmed)
    assert response.status_code == 422
    assert "Còn 4 thành viên có mặt chưa biểu quyết đủ" in text(response)
    assert refused_forms(response) and unshown(response) == []  # as the hostile suite sees it
    page = lxml_html.fromstring(response.content.decode())
    box = page.xpath("//input[@name='missing_accepted']")[0]
    assert "is-invalid" in box.get("class"), "the refusal beside the tick box"
    assert status(council) == SessionStatus.VOTING


def test_the_close_asks_with_who_has_not_voted_then_closes_with_the_tick_box(
    client: Client,
) -> None:
    council = make_council(5)
    council.open()
    council.vote("y")
    as_secretary(client, council)
    page = client.get(
        reverse("votes:session", args=[council.session.campaign.code, council.session.pk])
    )
    form = lxml_html.fromstring(page.content.decode()).xpath(
        "//form[@action=$url]", url=url(council, "close")
    )[0]
    assert "Còn 4 thành viên có mặt chưa biểu quyết đủ (4 phiếu)" in form.get("data-confirm")
    assert "Thành viên 1 chưa biểu quyết" in form.get("data-confirm-list")
    response = client.post(url(council, "close"), {"missing_accepted": "on"})
    assert is_confirmation(response)
    assert "Thành viên 4 chưa biểu quyết" in text(response)
    assert status(council) == SessionStatus.VOTING
    response = client.post(url(council, "close"), {"missing_accepted": "on", "confirmed": "1"})
    assert response.status_code == 302
    assert status(council) == SessionStatus.CLOSED


# Casting a ballot ---------------------------------------------------------------------------------


def test_a_ballot_shows_the_choice_back_once_before_it_is_cast(client: Client) -> None:
    council = make_council(3)
    council.open()
    member, nomination = council.members[1], council.nomination
    client.force_login(member)
    data = {"nomination": nomination.pk, "choice": "no"}
    response = client.post(url(council, "vote"), data)
    assert is_confirmation(response)
    assert f"Bạn chọn “Không đồng ý” cho đề nghị: {nomination.nominee}" in text(response)
    assert not VoteReceipt.objects.exists(), "a question casts nothing"
    assert client.post(url(council, "vote"), {**data, "confirmed": "1"}).status_code == 302
    assert VoteReceipt.objects.filter(user=member, nomination=nomination).count() == 1


def test_each_ballot_button_names_its_choice_in_its_dialog(client: Client) -> None:
    council = make_council(3)
    council.open()
    client.force_login(council.members[1])
    page = lxml_html.fromstring(
        client.get(
            reverse("votes:session", args=[council.session.campaign.code, council.session.pk])
        ).content.decode()
    )
    buttons = page.xpath("//button[@name='choice']")
    assert {b.get("value") for b in buttons} == {"yes", "no", "abstain"}
    for button in buttons:
        assert f"“{button.text_content().strip()}”" in button.get("data-confirm")


def test_a_second_ballot_is_refused_before_anything_is_asked(client: Client) -> None:
    council = make_council(3)
    council.open()
    council.vote(" y")
    client.force_login(council.members[1])
    response = client.post(
        url(council, "vote"), {"nomination": council.nomination.pk, "choice": "no"}
    )
    assert response.status_code == 422 and not is_confirmation(response)
    assert VoteReceipt.objects.filter(user=council.members[1]).count() == 1


def test_a_written_ballot_shows_the_member_and_the_choice_back_before_it_is_recorded(
    client: Client,
) -> None:
    council = make_council(4)
    council.open(present=3)
    absent, nomination = council.members[3], council.nomination
    data = {"nomination": nomination.pk, "member": absent.pk, "choice": "abstain"}
    response = as_secretary(client, council).post(url(council, "written"), data)
    assert is_confirmation(response)
    said = f"Phiếu bằng văn bản của {absent.get_full_name()}: “Không biểu quyết” cho đề nghị"
    assert said in text(response)
    assert not VoteReceipt.objects.exists(), "a question records nothing"
    assert client.post(url(council, "written"), {**data, "confirmed": "1"}).status_code == 302
    assert VoteReceipt.objects.get().written is True


def test_the_written_ballot_form_asks_in_its_dialog_with_what_is_selected(
    client: Client,
) -> None:
    council = make_council(4)
    council.open(present=3)
    page = lxml_html.fromstring(
        as_secretary(client, council)
        .get(reverse("votes:session", args=[council.session.campaign.code, council.session.pk]))
        .content.decode()
    )
    form = page.xpath("//form[@action=$url]", url=url(council, "written"))[0]
    assert council.nomination.nominee in form.get("data-confirm")
    assert form.get("data-confirm-selected") is not None

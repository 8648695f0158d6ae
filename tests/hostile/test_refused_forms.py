"""A refused form, as its user meets it: answered 422, shown again with a summary at its top that
lists every error (each linking to its field) and each field's message beside the field; the
summary's script moves the focus there, and tells htmx to swap a 422 answer in."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html
from playwright.sync_api import Page, expect

from campaigns import services as campaigns
from campaigns.models import Campaign, CampaignStatus
from scoring import services as runs
from scoring.models import RunStatus
from tests.factories import (
    CriterionFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
    kind,
    manager_of,
)
from tests.scoring.scoring_cases import Case
from tests.votes.conftest import make_council
from units.roles import Role
from votes import services as votes
from votes.models import Award, VoteReceipt

from .corpus import TOO_BIG
from .doors import ROOT
from .shown import refused_forms, unshown

pytestmark = pytest.mark.django_db


@pytest.fixture
def district() -> object:
    return UnitFactory(kind=kind("huyen"))


@pytest.fixture
def manager(client: Client, district: object) -> User:
    user = manager_of(district)  # type: ignore[arg-type]
    client.force_login(user)
    return user


def new_campaign(manager: User, district: object) -> Campaign:
    campaign = campaigns.campaign_create(
        actor=manager,
        code="VHCS-2026",
        title="Văn hóa công sở 2026",
        authority=district,  # type: ignore[arg-type]
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        window_opens_on=datetime.date(2026, 11, 1),
        window_closes_on=datetime.date(2026, 11, 30),
    )
    campaigns.campaign_enrol(actor=manager, campaign=campaign, units=[UnitFactory(parent=district)])
    return campaign


def summary(response: object) -> lxml_html.HtmlElement:
    page = lxml_html.fromstring(response.content.decode())  # type: ignore[attr-defined]
    found = page.xpath("//*[@data-form-errors]")
    assert len(found) == 1, "one error summary at the top of the refused form"
    assert found[0].get("role") == "alert" and found[0].get("tabindex") == "-1"
    return found[0]


def test_a_refused_block_marks_its_field_and_links_to_it_from_the_summary(
    client: Client, manager: User, district: object
) -> None:
    commune = UnitFactory(parent=district)
    response = client.post(
        reverse("units:block_add"),
        {"code": "KHOI", "name": "Khối xã", "year": 2026, "head_unit": commune.pk,
         "members": [commune.pk, TOO_BIG]},
    )  # fmt: skip
    assert response.status_code == 422
    links = summary(response).xpath(".//a[@href='#id_members']")
    assert links and "Lựa chọn không hợp lệ" in links[0].getparent().text_content()
    page = lxml_html.fromstring(response.content.decode())
    field = page.xpath("//select[@name='members']")[0]
    assert "is-invalid" in field.get("class")
    feedback = page.xpath("//div[@id='div_id_members']//*[contains(@class, 'invalid-feedback')]")
    assert "Lựa chọn không hợp lệ" in feedback[0].text_content()


def test_the_enrolment_form_shows_a_refusal_of_the_whole_form(
    client: Client, manager: User, district: object
) -> None:
    campaign = new_campaign(manager, district)
    response = client.post(reverse("campaigns:enrolments", args=[campaign.code]), {})
    assert response.status_code == 422
    assert "Chọn đúng một cách" in summary(response).text_content()


def test_the_enrolment_form_comes_back_with_its_refusal_once_the_window_is_open(
    client: Client, manager: User, district: object
) -> None:
    """The page offers no enrolment once the window is open; a post from an older page is
    refused by the service, and the form comes back to say why."""
    campaign = new_campaign(manager, district)
    CriterionFactory(checklist=campaign.checklist)
    campaigns.campaign_launch(actor=manager, campaign=campaign)
    campaigns.campaign_transition(actor=manager, campaign=campaign, action="open_window")
    unit = UnitFactory(parent=district)
    response = client.post(
        reverse("campaigns:enrolments", args=[campaign.code]), {"units": [unit.pk]}
    )
    assert response.status_code == 422
    assert "trước khi mở tự chấm điểm" in summary(response).text_content()
    assert not campaign.enrolments.filter(unit=unit).exists()


def test_a_refused_login_answers_422_with_its_reason_in_the_summary(client: Client) -> None:
    UserFactory(username="canbo")
    response = client.post(reverse("login"), {"username": "canbo", "password": "sai-mat-khau"})
    assert response.status_code == 422
    assert "Tên đăng nhập và mật khẩu chính xác" in summary(response).text_content()


def test_a_council_member_cannot_post_the_managers_session_form(client: Client) -> None:
    """The form is the managers' only: a council member's post is refused before it is read,
    not answered with errors of a form their page does not show."""
    other_district = UnitFactory(kind=kind("huyen"))
    campaign = new_campaign(manager_of(other_district), other_district)
    member = UserFactory(roles=[Role.COUNCIL_MEMBER])
    campaigns.council_seat_set(actor=None, campaign=campaign, user=member, role="member")
    client.force_login(member)
    response = client.post(reverse("votes:sessions", args=[campaign.code]), {})
    assert response.status_code == 403


# Refusals that used to redirect with a message: the page again, the message where it belongs --


def marked(response: object, name: str) -> lxml_html.HtmlElement:
    """The field `name` that the page marks invalid, with its message beside it."""
    page = lxml_html.fromstring(response.content.decode())  # type: ignore[attr-defined]
    fields = page.xpath("//*[@name=$name][contains(@class, 'is-invalid')]", name=name)
    assert len(fields) == 1, f"one {name} marked is-invalid"
    return fields[0]


def test_a_refused_nomination_comes_back_open_on_the_session_page_beside_its_field(
    client: Client, manager: User, district: object
) -> None:
    campaign = new_campaign(manager, district)
    session = votes.session_create(
        actor=manager, campaign=campaign, held_on=datetime.date(2026, 12, 20)
    )
    response = client.post(
        reverse("votes:action", args=[campaign.code, session.pk, "nominate"]),
        {"recipient_kind": "collective", "enrolment": "abc", "award": Award.objects.first().pk},
    )
    assert response.status_code == 422
    assert summary(response).xpath(".//a[@href='#id_enrolment']")
    field = marked(response, "enrolment")
    assert "Lựa chọn không hợp lệ" in field.getparent().text_content()
    assert field.xpath("ancestor::details[@open]"), "the form folded away is opened"
    assert not session.nominations.exists()


def test_a_quota_refused_by_the_form_comes_back_on_the_sessions_page(
    client: Client, manager: User, district: object
) -> None:
    campaign = new_campaign(manager, district)
    response = client.post(reverse("votes:quotas", args=[campaign.code]), {"block": "x"})
    assert response.status_code == 422
    assert "Lựa chọn không hợp lệ" in summary(response).text_content()
    assert marked(response, "block") is not None


def test_a_refused_campaign_step_shows_the_campaign_page_with_why(
    client: Client, manager: User, district: object
) -> None:
    campaign = new_campaign(manager, district)  # no criterion: it cannot be launched
    response = client.post(
        reverse("campaigns:transition", args=[campaign.code, "launch"]), {"confirmed": "1"}
    )
    assert response.status_code == 422
    assert "bộ tiêu chí chưa có tiêu chí chấm điểm" in summary(response).text_content()
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT


def test_a_refused_reopen_comes_back_at_the_top_of_the_enrolment_list(
    client: Client, manager: User, district: object
) -> None:
    campaign = new_campaign(manager, district)
    CriterionFactory(checklist=campaign.checklist)
    campaigns.campaign_launch(actor=manager, campaign=campaign)
    campaigns.campaign_transition(actor=manager, campaign=campaign, action="open_window")
    enrolment = campaign.enrolments.get()
    url = reverse("campaigns:enrolment_reopen", args=[campaign.code, enrolment.pk])
    response = client.post(url, {"until": "2026-12-05", "reason": ""})
    assert response.status_code == 422
    assert summary(response).xpath(".//a[@href='#id_reason']")
    page = lxml_html.fromstring(response.content.decode())
    first_form = page.xpath("//main//form[@method='post']")[0]
    assert first_form.get("action") == url, "the refused form first, above the list"
    assert marked(response, "reason") is not None
    enrolment.refresh_from_db()
    assert enrolment.reopened_until is None


def test_each_enrolment_row_draws_its_reopen_form_with_its_own_ids(
    client: Client, manager: User, district: object
) -> None:
    campaign = new_campaign(manager, district)
    campaigns.campaign_enrol(actor=manager, campaign=campaign, units=[UnitFactory(parent=district)])
    CriterionFactory(checklist=campaign.checklist)
    campaigns.campaign_launch(actor=manager, campaign=campaign)
    campaigns.campaign_transition(actor=manager, campaign=campaign, action="open_window")
    page = lxml_html.fromstring(
        client.get(reverse("campaigns:enrolments", args=[campaign.code])).content.decode()
    )
    ids = [element.get("id") for element in page.xpath("//*[@id]")]
    assert len(ids) == len(set(ids)), "no id twice on the page"
    for enrolment in campaign.enrolments.all():
        for name in ("until", "reason"):
            field_id = f"id_{name}_{enrolment.pk}"
            assert page.xpath("//*[@name=$name][@id=$id]", name=name, id=field_id)
            assert page.xpath("//label[@for=$id]", id=field_id), "its label names it"


# A refused field of a row of a list: marked in its row, its message beside it, as typed ---------


def row_field(response: object, field_id: str, message: str) -> lxml_html.HtmlElement:
    """The field `field_id`, the only one of its id, marked and with `message` beside it; the
    summary lists the message with a link to it."""
    page = lxml_html.fromstring(response.content.decode())  # type: ignore[attr-defined]
    links = summary(response).xpath(".//a[@href=$href]", href=f"#{field_id}")
    assert links and message in links[0].getparent().text_content()
    found = page.xpath("//*[@id=$id]", id=field_id)
    assert len(found) == 1, f"one element with the id {field_id}"
    fields = [found[0], *found[0].iterdescendants()]
    assert any("is-invalid" in (f.get("class") or "").split() for f in fields)
    feedback = page.xpath("//*[@id=$id]", id=f"{field_id}_error")
    assert feedback and "invalid-feedback" in feedback[0].get("class")
    assert message in feedback[0].text_content()
    assert refused_forms(response) and unshown(response) == []  # as the hostile suite sees it
    return found[0]


def unique_ids(response: object) -> list[str]:
    page = lxml_html.fromstring(response.content.decode())  # type: ignore[attr-defined]
    ids = [element.get("id") for element in page.xpath("//*[@id]")]
    return sorted({i for i in ids if ids.count(i) > 1})


def test_the_session_page_draws_no_id_twice_before_and_during_the_vote(client: Client) -> None:
    """Its forms share field names (the nomination and designation forms, the ballots of each
    row): a summary's link, and a label, must find the one field it names."""
    council = make_council(4)
    client.force_login(council.members[0])  # the secretary
    url = reverse("votes:session", args=[council.session.campaign.code, council.session.pk])
    assert unique_ids(client.get(url)) == []
    council.open(present=3)
    assert unique_ids(client.get(url)) == []


def test_a_written_vote_for_a_present_member_comes_back_in_its_row_beside_the_member(
    client: Client,
) -> None:
    council = make_council(4)
    council.open(present=3)
    secretary, present, nomination = council.members[0], council.members[1], council.nomination
    client.force_login(secretary)
    response = client.post(
        reverse(
            "votes:action", args=[council.session.campaign.code, council.session.pk, "written"]
        ),
        {"nomination": nomination.pk, "member": present.pk, "choice": "no"},
    )
    assert response.status_code == 422
    row_field(
        response,
        f"id_written_member_{nomination.pk}",
        "Phiếu bằng văn bản chỉ dành cho thành viên vắng mặt",
    )
    page = lxml_html.fromstring(response.content.decode())
    chosen = page.xpath(
        "//select[@id=$id]/option[@selected]", id=f"id_written_choice_{nomination.pk}"
    )
    assert [option.get("value") for option in chosen] == ["no"], "the choice as the user made it"
    assert not VoteReceipt.objects.exists()


def test_a_forged_vote_comes_back_in_its_row_beside_its_buttons(client: Client) -> None:
    council = make_council(4)
    council.open(present=3)
    member, nomination = council.members[2], council.nomination
    client.force_login(member)
    response = client.post(
        reverse("votes:action", args=[council.session.campaign.code, council.session.pk, "vote"]),
        {"nomination": nomination.pk, "choice": "maybe"},
    )
    assert response.status_code == 422
    group = row_field(response, f"id_choice_{nomination.pk}", "maybe")
    assert group.xpath(".//button[@name='choice'][contains(@class, 'is-invalid')]")
    assert not VoteReceipt.objects.exists()


def test_a_registration_returned_without_a_reason_comes_back_in_its_row_beside_the_reason(
    client: Client, manager: User, district: object
) -> None:
    campaign = new_campaign(manager, district)
    campaigns.campaign_enrol(actor=manager, campaign=campaign, units=[UnitFactory(parent=district)])
    head = UserFactory(roles=[Role.UNIT_HEAD])
    enrolments = list(campaign.enrolments.all())
    for enrolment in enrolments:
        MembershipFactory(user=head, unit=enrolment.unit)
        campaigns.registration_send(actor=head, enrolment=enrolment, targets="Xuất sắc")
    registration = enrolments[0].registration
    url = reverse("campaigns:registration_decide", args=[campaign.code, registration.pk])
    response = client.post(url, {"accept": "0", "reason": "  "})
    assert response.status_code == 422
    field = row_field(response, f"id_reason_{registration.pk}", "Phải nêu lý do trả lại.")
    assert field.get("name") == "reason" and field.get("value") == "  ", "as typed"
    page = lxml_html.fromstring(response.content.decode())
    assert len(page.xpath("//input[@name='reason'][contains(@class, 'is-invalid')]")) == 1
    assert len(page.xpath("//input[@name='reason']")) == 2, "the other row untouched"
    registration.refresh_from_db()
    assert registration.status == registration.Status.SENT


def test_a_registration_decided_comes_back_to_the_list(
    client: Client, manager: User, district: object
) -> None:
    campaign = new_campaign(manager, district)
    head = UserFactory(roles=[Role.UNIT_HEAD])
    enrolment = campaign.enrolments.get()
    MembershipFactory(user=head, unit=enrolment.unit)
    registration = campaigns.registration_send(actor=head, enrolment=enrolment, targets="Tốt")
    url = reverse("campaigns:registration_decide", args=[campaign.code, registration.pk])
    response = client.post(url, {"accept": "0", "reason": "Thiếu chỉ tiêu"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.reason) == ("returned", "Thiếu chỉ tiêu")


def active_run(client: Client) -> tuple[Campaign, object]:
    case = Case().criterion("1").unit("Xã A", {"1": "9"})
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    client.force_login(manager_of(case.campaign.authority))
    return case.campaign, run


@pytest.mark.parametrize(
    ("typed", "message"),
    [("   ", "Hãy nêu lý do hủy lần tính điểm."), ("x" * 501, "tối đa 500 kí tự")],
)
def test_a_run_cancelled_without_a_good_reason_comes_back_in_its_row_beside_the_reason(
    client: Client, typed: str, message: str
) -> None:
    campaign, run = active_run(client)
    url = reverse("scoring:run_cancel", args=[campaign.code, run.pk])  # type: ignore[attr-defined]
    response = client.post(url, {"reason": typed})
    assert response.status_code == 422
    field = row_field(response, f"id_reason_{run.pk}", message)  # type: ignore[attr-defined]
    assert field.get("value") == typed, "as typed"
    run.refresh_from_db()  # type: ignore[attr-defined]
    assert run.is_active  # type: ignore[attr-defined]


def test_a_run_cancelled_with_a_reason_comes_back_to_the_runs(client: Client) -> None:
    campaign, run = active_run(client)
    url = reverse("scoring:run_cancel", args=[campaign.code, run.pk])  # type: ignore[attr-defined]
    response = client.post(url, {"reason": "Hàng đợi tác vụ ngừng"})
    assert response.status_code == 302
    run.refresh_from_db()  # type: ignore[attr-defined]
    assert run.status == RunStatus.FAILED  # type: ignore[attr-defined]


def test_crispy_shows_a_forms_own_error_once_in_the_summary(
    client: Client, manager: User, district: object
) -> None:
    campaign = new_campaign(manager, district)
    response = client.post(reverse("campaigns:enrolments", args=[campaign.code]), {})
    assert response.content.decode().count("Chọn đúng một cách") == 1


def test_every_page_loads_the_script_that_swaps_a_422_and_moves_the_focus(
    client: Client, manager: User
) -> None:
    page = lxml_html.fromstring(client.get(reverse("home")).content.decode())
    scripts = [s.get("src") for s in page.xpath("//script[@src]")]
    assert any(src.endswith("js/forms.js") for src in scripts)
    assert not page.xpath("//script[not(@src)]"), "the CSP refuses inline scripts"
    script = Path(ROOT / "static/js/forms.js").read_text()
    assert 'code: "422", swap: true' in script and "[data-form-errors]" in script


# In the browser -----------------------------------------------------------------------------------


def on_the_new_campaign_page(live_server: object, page: Page) -> None:
    manager_of(UnitFactory(kind=kind("huyen")), username="quanly", password="demo-pass-123")
    page.goto(f"{live_server.url}/accounts/login/")  # type: ignore[attr-defined]
    page.get_by_label("Tên đăng nhập").fill("quanly")
    page.get_by_label("Mật khẩu").fill("demo-pass-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/campaigns/new/")  # type: ignore[attr-defined]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_the_focus_goes_to_the_summary_then_to_the_field_it_names(
    live_server: object, page: Page
) -> None:
    on_the_new_campaign_page(live_server, page)
    page.get_by_role("button", name="Lưu").click()
    errors = page.locator("[data-form-errors]")
    expect(errors).to_be_focused()
    link = errors.locator("a").first
    target = page.locator(str(link.get_attribute("href")))
    link.click()
    expect(target).to_be_focused()
    expect(target).to_have_class(re.compile(r"\bis-invalid\b"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_htmx_swaps_a_refused_form_in(live_server: object, page: Page) -> None:
    on_the_new_campaign_page(live_server, page)
    expect(page.locator("[data-form-errors]")).to_have_count(0)
    page.evaluate(
        "() => { const form = document.querySelector('main form[method=post]');"
        " htmx.ajax('POST', form.action || location.pathname,"
        " {source: form, target: form, select: 'main form[method=post]', swap: 'outerHTML'}); }"
    )
    expect(page.locator("[data-form-errors]")).to_be_focused()


# Forms that refuse what makes no sense (issue 24): each refusal where its field is -------------


def test_a_window_outside_the_campaigns_dates_is_refused_beside_the_window(
    client: Client, manager: User, district: object
) -> None:
    response = client.post(
        reverse("campaigns:create"),
        {"code": "VHCS-2027", "title": "Văn hóa công sở 2027", "authority": district.pk,  # type: ignore[attr-defined]
         "starts_on": "2027-01-01", "ends_on": "2027-12-31", "window_opens_on": "2026-12-01",
         "window_closes_on": "2026-12-20", "exemplary_per_block": "1", "review_stages": "1"},
    )  # fmt: skip
    assert response.status_code == 422
    assert refused_forms(response) and unshown(response) == []
    assert marked(response, "window_opens_on") is not None
    assert not Campaign.objects.exists()


def test_an_authority_ended_before_the_campaign_is_refused_beside_it(
    client: Client, manager: User, district: object
) -> None:
    ended = UnitFactory(kind=kind("huyen"), parent=district, valid_to=datetime.date(2025, 6, 30))
    response = client.post(
        reverse("campaigns:create"),
        {"code": "VHCS-2026", "title": "Văn hóa công sở 2026", "authority": ended.pk,
         "starts_on": "2026-01-01", "ends_on": "2026-12-31", "window_opens_on": "2026-11-01",
         "window_closes_on": "2026-11-30", "exemplary_per_block": "1", "review_stages": "1"},
    )  # fmt: skip
    assert response.status_code == 422
    assert refused_forms(response) and unshown(response) == []
    assert "hiệu lực đến 30/06/2025" in marked(response, "authority").getparent().text_content()


def test_an_award_of_a_level_gone_is_refused_beside_the_award(client: Client) -> None:
    province = UnitFactory(kind=kind("tinh"))
    UnitFactory(kind=kind("huyen"), parent=province, valid_to=datetime.date(2025, 6, 30))
    commune = UnitFactory(kind=kind("xa"), parent=province)
    head = manager_of(commune)
    campaign = campaigns.campaign_create(
        actor=head, code="XA-2026", title="Văn hóa công sở 2026", authority=commune,
        starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
        window_opens_on=datetime.date(2026, 11, 1), window_closes_on=datetime.date(2026, 11, 30),
    )  # fmt: skip
    campaigns.campaign_enrol(actor=head, campaign=campaign, units=[UnitFactory(parent=commune)])
    session = votes.session_create(
        actor=head, campaign=campaign, held_on=datetime.date(2026, 12, 20)
    )
    client.force_login(head)
    district_award = Award.objects.get(name="Giấy khen của Chủ tịch Ủy ban nhân dân huyện")
    response = client.post(
        reverse("votes:action", args=[campaign.code, session.pk, "nominate"]),
        {"recipient_kind": "collective", "enrolment": campaign.enrolments.get().pk,
         "award": district_award.pk},
    )  # fmt: skip
    assert response.status_code == 422
    assert refused_forms(response) and unshown(response) == []
    assert marked(response, "award") is not None
    assert not session.nominations.exists()


def test_a_review_started_with_an_empty_council_is_refused_with_why(
    client: Client, manager: User, district: object
) -> None:
    campaign = new_campaign(manager, district)
    CriterionFactory(checklist=campaign.checklist)
    campaigns.campaign_launch(actor=manager, campaign=campaign)
    campaigns.campaign_transition(actor=manager, campaign=campaign, action="open_window")
    campaigns.campaign_transition(actor=manager, campaign=campaign, action="close_window")
    response = client.post(
        reverse("campaigns:transition", args=[campaign.code, "start_review"]), {"confirmed": "1"}
    )
    assert response.status_code == 422
    assert "chưa có thành viên nào" in summary(response).text_content()
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.WINDOW_CLOSED


def test_a_close_with_missing_ballots_is_refused_beside_its_tick_box(client: Client) -> None:
    council = make_council(4)
    council.open(present=3)
    council.vote("y")
    client.force_login(council.members[0])
    response = client.post(
        reverse("votes:action", args=[council.session.campaign.code, council.session.pk, "close"]),
        {"confirmed": "1"},
    )
    assert response.status_code == 422
    assert refused_forms(response) and unshown(response) == []
    assert (
        "chưa biểu quyết đủ"
        in marked(response, "missing_accepted").getparent().getparent().text_content()
    )


def test_a_closed_campaign_accepts_no_review_and_says_why(
    client: Client, media_root: object
) -> None:
    from tests.assessments.conftest import build_world

    world = build_world()
    world.submit()
    campaigns.campaign_set_status(
        actor=world.manager,
        campaign=world.campaign,
        new=CampaignStatus.CLOSED,
        allowed_from=[CampaignStatus.WINDOW_OPEN],
    )
    client.force_login(world.reviewer)
    response = client.post(
        reverse("assessments:review", args=[world.assessment().pk]),
        {"action": "accept", "confirmed": "1"},
    )
    assert response.status_code == 422
    assert "Phong trào đã kết thúc" in summary(response).text_content()
    assert refused_forms(response) and unshown(response) == []
    assert world.assessment().status == "submitted"

"""An award's conditions on earlier awards are catalogue data with their source (only what
LAW.md names, unverified); each nomination shows, per condition, "đạt", "không đạt" or "chưa đủ
dữ liệu" with the ledger entries it read; a council may still consider a nomination whose
condition is not met, with a reason kept on it and in its history line."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from campaigns.models import CampaignEvent
from tests.factories import CampaignFactory, EnrolmentFactory, UnitFactory
from votes import selectors, services
from votes.models import Award, AwardCondition, CouncilSession, Nomination

from .ledger import Ledger, imported, ledger_world, row

pytestmark = pytest.mark.django_db
PHUC = "Trần Văn Phúc"


def test_the_catalogue_holds_only_the_condition_law_md_names_unverified() -> None:
    (condition,) = AwardCondition.objects.all()
    assert (condition.award.code, condition.required.code) == ("CSTD_CS", "LDTT")
    assert (condition.scope, condition.years) == ("same_year", 1)
    assert condition.valid_from == datetime.date(2024, 1, 1)  # Luật 06/2022 in force
    assert "Luật 06/2022/QH15 Điều 23" in condition.source
    assert condition.verified is False


def session_of(world: Ledger) -> tuple[CouncilSession, object]:
    campaign = CampaignFactory(authority=world.commune)
    enrolment = EnrolmentFactory(campaign=campaign, unit=world.farmers)
    session = services.session_create(
        actor=None, campaign=campaign, held_on=datetime.date(2026, 12, 20)
    )
    return session, enrolment


def nominate(session: CouncilSession, enrolment: object, **fields: object) -> Nomination:
    return services.nomination_add(
        actor=fields.pop("actor", None),  # type: ignore[arg-type]
        session=session,
        enrolment=enrolment,  # type: ignore[arg-type]
        award=Award.objects.get(code="CSTD_CS"),
        recipient_kind="individual",
        person_name=fields.pop("person_name", PHUC),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


def test_met_when_the_ledger_holds_the_required_title_of_the_same_year() -> None:
    world = ledger_world()
    imported(world.commune, [row(world.farmers, year=2026, decision_date="2026-12-01")])
    session, enrolment = session_of(world)
    (check,) = selectors.conditions_of(nominate(session, enrolment))
    assert check.verdict == "met" and check.label == "đạt"
    assert check.years == [2026]
    assert [(e.award.code, e.year, e.person_name) for e in check.entries] == [("LDTT", 2026, PHUC)]


def test_not_enough_data_when_the_ledger_holds_nothing_or_not_that_year() -> None:
    world = ledger_world()
    session, enrolment = session_of(world)
    nomination = nominate(session, enrolment)  # no reason needed
    (check,) = selectors.conditions_of(nomination)
    assert (check.verdict, check.label, check.covered) == ("no_data", "chưa đủ dữ liệu", None)
    imported(world.commune, [row(world.farmers, year=2024)])  # the ledger ends in 2024
    (check,) = selectors.conditions_of(nomination)
    assert (check.verdict, check.covered, check.entries) == ("no_data", (2024, 2024), [])


def test_not_met_needs_a_reason_kept_on_the_nomination_and_in_its_history() -> None:
    world = ledger_world()
    # the ledger holds 2026, but someone else's title
    imported(
        world.commune,
        [row(world.farmers, year=2026, decision_date="2026-12-01", person_name="Lê Thị Hoa")],
    )
    session, enrolment = session_of(world)
    with pytest.raises(ValidationError) as refused:
        nominate(session, enrolment, actor=world.officer)
    assert refused.value.code == "condition"
    assert "Lao động tiên tiến" in refused.value.messages[0]
    assert not Nomination.objects.exists()
    nomination = nominate(
        session,
        enrolment,
        actor=world.officer,
        condition_reason="Quyết định công nhận Lao động tiên tiến 2026 đang trình ký.",
    )
    assert nomination.condition_reason.startswith("Quyết định công nhận")
    (check,) = selectors.conditions_of(nomination)
    assert (check.verdict, check.label) == ("not_met", "không đạt")
    event = CampaignEvent.objects.filter(action="nomination_add").latest("pk")
    assert event.actor == world.officer
    assert "Quyết định công nhận Lao động tiên tiến 2026 đang trình ký." in event.new_value


def test_a_condition_not_in_force_on_the_sessions_date_is_not_checked() -> None:
    world = ledger_world()
    campaign = CampaignFactory(
        authority=world.commune,
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2019, 12, 31),
        window_opens_on=datetime.date(2019, 11, 1),
        window_closes_on=datetime.date(2019, 11, 30),
    )
    enrolment = EnrolmentFactory(campaign=campaign, unit=world.farmers)
    session = services.session_create(
        actor=None, campaign=campaign, held_on=datetime.date(2019, 12, 20)
    )
    checks = selectors.conditions_check(
        session=session,
        award=Award.objects.get(code="CSTD_CS"),
        unit=enrolment.unit,
        recipient_kind="individual",
        person_name=PHUC,
    )
    assert checks == []


def test_the_session_page_shows_each_nominations_conditions() -> None:
    world = ledger_world()
    imported(
        world.commune,
        [row(world.farmers, year=2026, decision_date="2026-12-01", person_name="Lê Thị Hoa")],
    )
    session, enrolment = session_of(world)
    nominate(session, enrolment, actor=world.officer, condition_reason="Đang trình ký.")
    client = Client()
    client.force_login(world.officer)
    page = client.get(f"/council/{session.campaign.code}/sessions/{session.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "không đạt" in text
    assert "Điều 23" in text and "chưa đối chiếu văn bản" in text
    assert "Đang trình ký." in text


def test_the_nomination_form_takes_the_reason_and_a_refusal_names_its_field() -> None:
    world = ledger_world()
    imported(
        world.commune,
        [row(world.farmers, year=2026, decision_date="2026-12-01", person_name="Lê Thị Hoa")],
    )
    session, enrolment = session_of(world)
    client = Client()
    client.force_login(world.officer)
    url = f"/council/{session.campaign.code}/sessions/{session.pk}/nominate/"
    data = {
        "recipient_kind": "individual",
        "enrolment": enrolment.pk,  # type: ignore[attr-defined]
        "person_name": PHUC,
        "award": Award.objects.get(code="CSTD_CS").pk,
    }
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert "Ghi lý do Hội đồng vẫn xét" in refused.content.decode()
    assert not Nomination.objects.exists()
    done = client.post(url, {**data, "condition_reason": "Đang trình ký."})
    assert done.status_code == 302
    assert Nomination.objects.get().condition_reason == "Đang trình ký."


def test_an_award_of_a_unit_it_came_from_counts_after_a_merger() -> None:
    from units.services import unit_merge

    world = ledger_world()
    # the farmers' association merged into the commune's; Phúc's 2026 title was recorded
    # at the old one
    imported(world.commune, [row(world.farmers, year=2026, decision_date="2026-12-01")])
    merged = UnitFactory(name="Hội Nông dân xã Kiên Lương (mới)", parent=world.commune)
    unit_merge(actor=None, units=[world.farmers], into=merged, on=datetime.date(2026, 12, 2))
    campaign = CampaignFactory(authority=world.commune)
    enrolment = EnrolmentFactory(campaign=campaign, unit=merged)
    session = services.session_create(
        actor=None, campaign=campaign, held_on=datetime.date(2026, 12, 20)
    )
    (check,) = selectors.conditions_of(nominate(session, enrolment))
    assert check.verdict == "met"
    assert [e.unit for e in check.entries] == [world.farmers]


def test_the_session_page_reads_every_nominations_conditions_in_a_few_queries(
    django_assert_max_num_queries: object,
) -> None:
    world = ledger_world()
    imported(world.commune, [row(world.farmers, year=2026, decision_date="2026-12-01")])
    session, enrolment = session_of(world)
    nominations = [
        nominate(session, enrolment, person_name=f"Người {i}", condition_reason="Đang trình ký.")
        for i in range(20)
    ]
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        checks = selectors.conditions_of_session(session, nominations)
    assert {checks[n.pk][0].verdict for n in nominations} == {"not_met"}


def test_the_catalogue_page_lists_the_conditions_with_their_source() -> None:
    world = ledger_world()
    client = Client()
    client.force_login(world.officer)
    text = client.get("/council/catalogue/").content.decode()
    assert "Điều kiện về khen thưởng đã có" in text
    assert "Chiến sĩ thi đua cơ sở: đạt “Lao động tiên tiến” cùng năm" in text
    assert "Luật 06/2022/QH15 Điều 23" in text

"""What a campaign may nominate (its authority's level, or a proposal to the level above), the
quotas per cụm/khối, the money per funding source and the council's Điển hình tiên tiến."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import CampaignEvent
from tests.factories import BlockFactory, CampaignFactory, EnrolmentFactory, UnitFactory, kind
from votes import selectors, services
from votes.models import Award

from .conftest import make_council

pytestmark = pytest.mark.django_db

GK_XA = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"
QUOTA_SOURCE = "Quyết định 12/QĐ-HĐTĐKT ngày 02/01/2026 giao chỉ tiêu khen thưởng"


def award(name: str) -> Award:
    return Award.objects.get(name=name)


def test_a_district_decided_its_own_awards_before_1_7_2025_and_proposed_higher_ones() -> None:
    council = make_council(
        3,
        award="Giấy khen của Chủ tịch Ủy ban nhân dân huyện",
        held_on=datetime.date(2025, 6, 20),
    )
    session, enrolment = council.session, council.nomination.enrolment
    assert services.authority_level(session.campaign) == "district"
    assert council.nomination.proposed is False
    higher = services.nomination_add(
        actor=None,
        session=session,
        enrolment=enrolment,
        award=award("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"),
    )
    assert higher.proposed is True
    own_title = services.nomination_add(
        actor=None, session=session, enrolment=enrolment, award=award("Tập thể lao động tiên tiến")
    )
    assert own_title.proposed is False  # Luật 06/2022 Điều 80 khoản 2
    with pytest.raises(ValidationError, match="thẩm quyền"):
        services.nomination_add(
            actor=None, session=session, enrolment=enrolment, award=award(GK_XA)
        )


def test_a_commune_decides_only_what_article_80_clause_3_gives_it() -> None:
    """Luật 06/2022 Điều 80 khoản 3: Lao động tiên tiến, Giấy khen, Gia đình văn hóa; the rest
    goes to the province as a proposal. The district's Giấy khen ended with the district."""
    council = make_council(3, award=GK_XA, authority_kind="xa")
    session, enrolment = council.session, council.nomination.enrolment
    assert services.authority_level(session.campaign) == "commune"

    def add(name: str, **person: str) -> bool:
        nomination = services.nomination_add(
            actor=None, session=session, enrolment=enrolment, award=award(name), **person
        )
        return nomination.proposed

    assert council.nomination.proposed is False
    person = {"recipient_kind": "individual", "person_name": "Trần Văn Phúc"}
    assert add("Lao động tiên tiến", **person) is False
    assert add("Chiến sĩ thi đua cơ sở", **person) is True
    assert add("Tập thể lao động tiên tiến") is True
    assert add("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh") is True
    with pytest.raises(ValidationError, match="cấp không còn tồn tại"):  # the district is gone
        add("Giấy khen của Chủ tịch Ủy ban nhân dân huyện")


def test_an_agency_takes_the_level_of_the_unit_above_it() -> None:
    commune = UnitFactory(kind=kind("xa"))
    front = UnitFactory(kind=kind("mttq"), parent=commune)
    assert services.authority_level(CampaignFactory(authority=front)) == "commune"
    assert (
        services.authority_level(CampaignFactory(authority=UnitFactory(kind=kind("mttq")))) is None
    )


def test_a_quota_per_block_refuses_one_nomination_too_many() -> None:
    council = make_council(3, award=GK_XA, authority_kind="xa")
    session, campaign = council.session, council.session.campaign
    block = BlockFactory()
    first, second = (EnrolmentFactory(campaign=campaign, block=block) for _ in range(2))
    giay_khen = award(GK_XA)
    services.quota_set(
        actor=None, campaign=campaign, block=block, award=giay_khen, limit=1, source=QUOTA_SOURCE
    )
    services.nomination_add(actor=None, session=session, enrolment=first, award=giay_khen)
    with pytest.raises(ValidationError, match="chỉ tiêu 1"):
        services.nomination_add(actor=None, session=session, enrolment=second, award=giay_khen)
    other = award("Tập thể lao động tiên tiến")  # the quota is for the Giấy khen only
    services.nomination_add(actor=None, session=session, enrolment=second, award=other)
    services.quota_set(
        actor=None, campaign=campaign, block=block, award=None, limit=2, source=QUOTA_SOURCE
    )
    with pytest.raises(ValidationError, match="chỉ tiêu 2"):
        services.nomination_add(
            actor=None,
            session=session,
            enrolment=second,
            award=award("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"),
        )
    services.quota_set(actor=None, campaign=campaign, block=block, award=None, limit=None)
    assert list(selectors.quotas_of(campaign).values_list("limit", flat=True)) == [1]
    actions = CampaignEvent.objects.filter(campaign=campaign).values_list("action", flat=True)
    assert {"quota_set", "quota_remove"} <= set(actions)
    assert CampaignEvent.objects.filter(action="quota_set", reason=QUOTA_SOURCE).count() == 2


def test_a_quota_without_its_source_is_refused() -> None:
    campaign = CampaignFactory()
    with pytest.raises(ValidationError, match="Phải nêu căn cứ"):
        services.quota_set(
            actor=None, campaign=campaign, block=BlockFactory(), award=None, limit=3, source=""
        )
    assert not selectors.quotas_of(campaign).exists()


def test_rewards_are_totalled_per_funding_source() -> None:
    council = make_council(3, award=GK_XA, authority_kind="xa")
    session, enrolment = council.session, council.nomination.enrolment
    higher = services.nomination_add(
        actor=None,
        session=session,
        enrolment=enrolment,
        award=award("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"),
    )
    council.open()
    council.vote("yyy")
    council.vote("yyy", nomination=higher)
    council.close()
    totals = {
        t.source: (t.count, t.total)
        for t in selectors.funding_totals(selectors.outcomes_of(council.session))
    }
    authority = session.campaign.authority.name
    # 0.6 × 2,530,000 = 1,518,000 → 1,520,000; 3.0 × 2,530,000 = 7,590,000
    assert totals == {
        f"Quỹ thi đua, khen thưởng của {authority}": (1, 1_520_000),
        "Quỹ thi đua, khen thưởng của cấp quyết định (Cấp tỉnh)": (1, 7_590_000),
    }


def test_the_council_designates_exemplary_models_with_a_reason_until_the_close() -> None:
    council = make_council(3, award=GK_XA, authority_kind="xa")
    session, enrolment = council.session, council.nomination.enrolment
    with pytest.raises(ValidationError, match="lý do"):
        services.designation_add(actor=None, session=session, enrolment=enrolment, reason=" ")
    designation = services.designation_add(
        actor=None,
        session=session,
        enrolment=enrolment,
        recipient_kind="individual",
        person_name="Nguyễn Thị Lung",
        position="Phó Chủ tịch",
        reason="Tiêu biểu trong thực hiện văn hóa công sở.",
    )
    assert designation.leading is False  # no published results: not a leading unit
    assert not selectors.designations_public(session.campaign).exists()  # not before the close
    council.open()
    council.close()
    assert list(selectors.designations_public(session.campaign)) == [designation]
    with pytest.raises(ValidationError):
        services.designation_remove(actor=None, designation=designation)
    events = CampaignEvent.objects.filter(campaign=session.campaign, action="designation_add")
    assert events.count() == 1 and "Nguyễn Thị Lung" in events.get().subject

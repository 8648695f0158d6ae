"""Hostile ids at every door: a malformed or out-of-range id is a form error, never a 500, and
it changes nothing. The id fields of `core.forms` refuse it before the database sees it."""

import datetime
import importlib
from collections.abc import Iterator

import django_filters
import pytest
from django import forms
from django.contrib.auth.models import User
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from campaigns import services as campaigns
from campaigns.models import Campaign, CampaignEvent, Conference
from core.forms import IdChoiceField, IdFieldMixin, IdMultipleChoiceField, key_range
from tests.factories import MembershipFactory, UnitFactory, UserFactory, kind
from units.models import Block, Unit
from units.roles import Role
from votes import services as votes
from votes.models import (
    Attendance,
    Award,
    Ballot,
    CouncilSession,
    Nomination,
    SealedBox,
    VoteReceipt,
)

pytestmark = pytest.mark.django_db

ERROR = "Lựa chọn không hợp lệ"
TOO_BIG = "99999999999999999999"
MALFORMED = [
    "abc",
    "-1",
    TOO_BIG,
    " 1",
    "1 ",
    "1\x00",
    "+1",
    "1.0",
    "0x1",
    "１",  # a full-width digit
    "²",
    "1" * 1000,
    "0" * 25 + "1",
]


def counts(*models: type[Model]) -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in models}


# The field on its own ---------------------------------------------------------------------------


class UnitChoiceForm(forms.Form):
    unit = IdChoiceField(queryset=Unit.objects.all())
    units = IdMultipleChoiceField(queryset=Unit.objects.all())


@pytest.mark.parametrize("value", MALFORMED)
def test_a_malformed_id_is_refused_before_any_query(value: str, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    unit = UnitFactory()
    form = UnitChoiceForm({"unit": value, "units": [str(unit.pk), value]})
    with django_assert_num_queries(0):
        assert not form.is_valid()
    assert ERROR in form.errors["unit"][0] and ERROR in form.errors["units"][0]
    assert "\x00" not in str(form.errors) and len(str(form.errors["unit"])) < 200


def test_the_range_is_the_primary_key_columns(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    assert key_range(Unit._meta.pk) == (-(2**63), 2**63 - 1)  # BigAutoField
    assert key_range(User._meta.pk) == (-(2**31), 2**31 - 1)  # AutoField
    users = IdChoiceField(queryset=User.objects.all())
    units = IdMultipleChoiceField(queryset=Unit.objects.all())
    with django_assert_num_queries(0), pytest.raises(forms.ValidationError, match=ERROR):
        users.clean(str(2**31))
    with django_assert_num_queries(0), pytest.raises(forms.ValidationError, match=ERROR):
        units.clean([str(2**63)])
    # The largest id the column holds reaches the database, which finds no such row.
    with pytest.raises(forms.ValidationError, match=ERROR):
        users.clean(str(2**31 - 1))
    with pytest.raises(forms.ValidationError, match=ERROR):
        units.clean([str(2**63 - 1)])


def test_the_id_of_a_row_that_exists_is_accepted() -> None:
    first, second = UnitFactory(), UnitFactory()
    form = UnitChoiceForm({"unit": str(first.pk), "units": [str(first.pk), second.pk]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == first
    assert set(form.cleaned_data["units"]) == {first, second}
    assert IdChoiceField(queryset=Unit.objects.all()).clean(second) == second


FORM_MODULES = [
    "units.forms",
    "units.filters",
    "campaigns.forms",
    "campaigns.filters",
    "assessments.forms",
    "assessments.import_forms",
    "scoring.filters",
    "votes.forms",
    "votes.filters",
]


def choice_classes(module_name: str) -> Iterator[tuple[str, type]]:
    """(where, field class) of every field of the module's forms and filter sets."""
    for attribute, value in vars(importlib.import_module(module_name)).items():
        if isinstance(value, type) and issubclass(value, forms.BaseForm):
            for key, field in value.base_fields.items():
                yield f"{module_name}.{attribute}.{key}", type(field)
        elif isinstance(value, type) and issubclass(value, django_filters.FilterSet):
            for key, filter_ in value.base_filters.items():
                yield f"{module_name}.{attribute}.{key}", filter_.field_class


def test_every_model_choice_of_the_portal_checks_its_ids() -> None:
    plain = [
        where
        for module_name in FORM_MODULES
        for where, field_class in choice_classes(module_name)
        if issubclass(field_class, forms.ModelChoiceField)
        and not issubclass(field_class, IdFieldMixin)
    ]
    assert plain == []


# Emulation blocks -------------------------------------------------------------------------------

BLOCK_TABLES = (Block, Block.members.through)


@pytest.fixture
def block_manager(client: Client) -> tuple[Client, list[Unit]]:
    district = UnitFactory(kind=kind("huyen"))
    communes = [UnitFactory(parent=district) for _ in range(2)]
    user = UserFactory(roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=user, unit=district, role="officer")
    client.force_login(user)
    return client, communes


def block_data(head: Unit, members: list[object]) -> dict[str, object]:
    return {
        "code": "KHOI-XA",
        "name": "Khối xã",
        "year": 2026,
        "head_unit": head.pk,
        "members": members,
    }


@pytest.mark.parametrize("hostile", [TOO_BIG, "-1", "abc"])
def test_a_hostile_member_id_does_not_create_a_block(block_manager, hostile: str) -> None:  # type: ignore[no-untyped-def]
    client, communes = block_manager
    before = counts(*BLOCK_TABLES)
    response = client.post(
        reverse("units:block_add"), block_data(communes[0], [communes[0].pk, hostile])
    )
    assert response.status_code == 422
    assert ERROR in response.content.decode()
    assert counts(*BLOCK_TABLES) == before


@pytest.mark.parametrize("hostile", [TOO_BIG, "-1", "abc"])
def test_a_hostile_member_id_does_not_change_a_block(block_manager, hostile: str) -> None:  # type: ignore[no-untyped-def]
    client, communes = block_manager
    created = client.post(reverse("units:block_add"), block_data(communes[0], [communes[0].pk]))
    assert created.status_code == 302
    block = Block.objects.get(code="KHOI-XA")
    before = counts(*BLOCK_TABLES)
    response = client.post(
        reverse("units:block_edit", args=[block.pk]),
        {"name": "Đổi tên", "head_unit": communes[1].pk, "members": [communes[1].pk, hostile]},
    )
    assert response.status_code == 422
    assert ERROR in response.content.decode()
    assert counts(*BLOCK_TABLES) == before
    block.refresh_from_db()
    assert block.name == "Khối xã" and set(block.members.all()) == {communes[0]}


# Conferences ------------------------------------------------------------------------------------

CONFERENCE_TABLES = (Conference, Conference.attending_units.through, CampaignEvent)


@pytest.fixture
def campaign_manager(client: Client) -> tuple[Client, User, Campaign]:
    """A manager logged in, and a draft campaign of their district with one enrolled unit."""
    district = UnitFactory(kind=kind("huyen"))
    manager = UserFactory(roles=[Role.CAMPAIGN_MANAGER])
    MembershipFactory(user=manager, unit=district, role="officer")
    campaign = campaigns.campaign_create(
        actor=manager,
        code="VHCS-2026",
        title="Văn hóa công sở 2026",
        authority=district,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        window_opens_on=datetime.date(2026, 11, 1),
        window_closes_on=datetime.date(2026, 11, 30),
    )
    campaigns.campaign_enrol(actor=manager, campaign=campaign, units=[UnitFactory(parent=district)])
    client.force_login(manager)
    return client, manager, campaign


def test_a_hostile_attending_unit_id_does_not_record_a_conference(campaign_manager) -> None:  # type: ignore[no-untyped-def]
    client, _manager, campaign = campaign_manager
    unit = campaign.enrolments.get().unit
    before = counts(*CONFERENCE_TABLES)
    response = client.post(
        reverse("campaigns:conference_add", args=[campaign.code]),
        {
            "kind": "launch",
            "held_at": "2026-01-08T07:30",
            "venue": "Hội trường UBND huyện",
            "chair": "Ông Đặng Minh Thành",
            "attending_units": [unit.pk, TOO_BIG],
        },
    )
    assert response.status_code == 422
    assert ERROR in response.content.decode()
    assert counts(*CONFERENCE_TABLES) == before


# Council sessions -------------------------------------------------------------------------------

SESSION_TABLES = (CouncilSession, Attendance, Nomination, VoteReceipt, SealedBox, Ballot)
DOORS = [
    ("nominate", "enrolment", "abc"),
    ("nominate", "enrolment", TOO_BIG),
    ("prefill", "award", "abc"),
    ("prefill", "award", TOO_BIG),
    ("vote", "nomination", "abc"),
    ("written", "nomination", TOO_BIG),
    ("written", "member", "-1"),
]


@pytest.mark.parametrize(("action", "name", "hostile"), DOORS)
def test_a_hostile_id_in_a_session_action_is_refused(  # type: ignore[no-untyped-def]
    campaign_manager, action: str, name: str, hostile: str
) -> None:
    client, manager, campaign = campaign_manager
    session = votes.session_create(
        actor=manager, campaign=campaign, held_on=datetime.date(2026, 12, 20)
    )
    enrolment = campaign.enrolments.get()
    award = Award.objects.filter(for_collective=True).first()
    nomination = votes.nomination_add(
        actor=manager, session=session, enrolment=enrolment, award=award
    )
    data = {  # every other field valid, so the hostile one is the only refusal
        "recipient_kind": "collective",
        "enrolment": enrolment.pk,
        "award": award.pk,
        "nomination": nomination.pk,
        "member": manager.pk,
        "choice": "yes",
        name: hostile,
    }
    before = counts(*SESSION_TABLES)
    url = reverse("votes:action", args=[campaign.code, session.pk, action])
    response = client.post(url, data)
    assert response.status_code == 422  # the session page again, with the refusal on it
    assert "votes/session.html" in [template.name for template in response.templates]
    assert ERROR in response.content.decode()
    assert counts(*SESSION_TABLES) == before

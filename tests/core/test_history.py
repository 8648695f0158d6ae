"""Every history (core.models.HistoryEvent) keeps its lines the same way: values as text, None as
nothing, the system as the actor when no one is given."""

import datetime

import pytest

from api.models import ApiClientEvent
from campaigns.models import CampaignEvent
from core.history import history_line, history_record
from core.models import HistoryEvent
from tests.factories import CampaignFactory, UserFactory
from units.models import AuthorityEvent, PersonEvent, UnitEvent
from votes.models import CatalogueEvent

pytestmark = pytest.mark.django_db


def test_a_line_keeps_its_values_as_text_and_none_as_nothing() -> None:
    campaign = CampaignFactory()
    event = history_record(
        CampaignEvent,
        campaign=campaign,
        actor=None,
        action="update",
        subject="ends_on",
        old=None,
        new=datetime.date(2026, 12, 7),
        reason="lịch",
    )
    event.refresh_from_db()
    assert (event.old_value, event.new_value, event.reason) == ("", "2026-12-07", "lịch")
    assert event.actor_name == "hệ thống"


def test_an_unsaved_line_names_its_actor_and_zero_is_a_value() -> None:
    actor = UserFactory(first_name="An", last_name="")
    line = history_line(
        CampaignEvent, campaign=CampaignFactory(), actor=actor, action="update", old=0, new=1
    )
    assert line.pk is None and (line.old_value, line.new_value) == ("0", "1")
    assert line.actor_name == "An"


def test_the_six_histories_share_the_one_shape() -> None:
    histories = [CampaignEvent, AuthorityEvent, UnitEvent, PersonEvent, CatalogueEvent]
    for model in [*histories, ApiClientEvent]:
        assert issubclass(model, HistoryEvent)
    for model in histories:
        assert model._meta.ordering == ["-at", "-pk"]

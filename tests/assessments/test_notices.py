"""Notifications: the unit's head hears of a return or an acceptance, by e-mail after the commit;
window notices and reminders go out once; a mail server that is down loses nothing."""

import datetime
import smtplib
from collections.abc import Sequence

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from assessments import notices, services
from assessments.models import AssessmentStatus
from campaigns import services as campaign_services
from notifications import services as notifications
from notifications import tasks as notification_tasks
from notifications.models import Notification
from tests.assessments.conftest import World, build_world
from tests.conftest import wait_for
from tests.factories import MembershipFactory, UserFactory
from units.roles import Role

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class MailServerDown(BaseEmailBackend):
    """Stands in for an SMTP server that refuses every message."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPException("421 Service not available")


def return_for_revision(world: World, reason: str = "Thiếu biên bản họp") -> None:
    services.assessment_return(actor=world.reviewer, assessment=world.assessment(), reason=reason)


# Return and accept -------------------------------------------------------------------------------


def test_returning_notifies_the_units_head_and_emails_them_after_the_commit(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    world.submit()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        return_for_revision(world)

    notification = Notification.objects.get()
    assert notification.user == world.head_a
    assert "bị trả lại" in notification.subject
    assert "Thiếu biên bản họp" in notification.body
    assert notification.url == reverse("assessments:assessment", args=[world.enrolment().pk])
    assert notification.emailed_at is not None

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.head_a.email]
    assert message.subject == notification.subject
    assert "Thiếu biên bản họp" in message.body
    assert f"{django_settings.PORTAL_URL}{notification.url}" in message.body


def test_nothing_is_emailed_before_the_commit(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    world.submit()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        return_for_revision(world)
        assert mail.outbox == []
    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None
    assert len(callbacks) == 1

    callbacks[0]()  # the commit
    assert len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at is not None


def test_accepting_notifies_the_units_head(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    world.submit()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.assessment_accept(actor=world.reviewer, assessment=world.assessment())
    notification = Notification.objects.get()
    assert notification.user == world.head_a
    assert "đã được chấp nhận" in notification.subject
    assert [m.to for m in mail.outbox] == [[world.head_a.email]]


def test_a_refused_return_notifies_nobody(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    world.submit()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,  # type: ignore[operator]
        pytest.raises(ValidationError),
    ):
        return_for_revision(world, reason="")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_every_active_head_of_the_unit_is_notified_and_nobody_else(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    deputy = UserFactory(roles=[Role.UNIT_HEAD])
    MembershipFactory(user=deputy, unit=world.unit_a, role="head")
    retired = UserFactory(roles=[Role.UNIT_HEAD], is_active=False)
    MembershipFactory(user=retired, unit=world.unit_a, role="head")
    world.submit()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        return_for_revision(world)
    assert set(Notification.objects.values_list("user", flat=True)) == {
        world.head_a.pk,
        deputy.pk,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.head_a.email, deputy.email])


# The schedule ------------------------------------------------------------------------------------


def schedule(day: datetime.date, capture: object) -> int:
    with capture(execute=True):  # type: ignore[operator]
        return notices.assessment_notices_send(today=day)


def recipients(subject_part: str) -> list[int]:
    return sorted(
        Notification.objects.filter(subject__contains=subject_part).values_list("user", flat=True)
    )


def test_the_window_open_notice_goes_to_each_enrolled_head_once(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    closes = world.campaign.window_closes_on
    day = closes - datetime.timedelta(days=5)
    assert schedule(day, django_capture_on_commit_callbacks) == 2
    assert schedule(day, django_capture_on_commit_callbacks) == 0
    assert schedule(day + datetime.timedelta(days=1), django_capture_on_commit_callbacks) == 0

    assert recipients("Đã mở tự chấm điểm") == sorted([world.head_a.pk, world.head_b.pk])
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.head_a.email, world.head_b.email])


def test_reminders_go_3_and_1_days_before_the_deadline_to_heads_who_have_not_submitted(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    world.submit()  # unit A is done; unit B is not
    closes = world.campaign.window_closes_on
    schedule(closes - datetime.timedelta(days=5), django_capture_on_commit_callbacks)
    opened = Notification.objects.count()

    sent_by_day = {}
    for days_left in (4, 3, 3, 2, 1, 1, 0):
        before = Notification.objects.count()
        schedule(closes - datetime.timedelta(days=days_left), django_capture_on_commit_callbacks)
        sent_by_day.setdefault(days_left, 0)
        sent_by_day[days_left] += Notification.objects.count() - before

    assert sent_by_day == {4: 0, 3: 1, 2: 0, 1: 1, 0: 0}
    assert recipients("Còn 3 ngày") == [world.head_b.pk]
    assert recipients("Còn 1 ngày") == [world.head_b.pk]
    assert Notification.objects.count() == opened + 2


def test_a_returned_unit_is_reminded_too(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    world.submit()
    return_for_revision(world)
    closes = world.campaign.window_closes_on
    schedule(closes - datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert recipients("Còn 1 ngày") == sorted([world.head_a.pk, world.head_b.pk])


def test_no_notice_or_reminder_for_a_campaign_whose_window_is_closed(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    campaign_services.campaign_transition(
        actor=world.manager, campaign=world.campaign, action="close_window"
    )
    closes = world.campaign.window_closes_on
    assert schedule(closes - datetime.timedelta(days=1), django_capture_on_commit_callbacks) == 0
    assert not Notification.objects.exists()


# A mail server that is down ----------------------------------------------------------------------


def test_a_mail_server_that_is_down_loses_nothing(
    world: World, settings: object, django_capture_on_commit_callbacks: object
) -> None:
    world.submit()
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[operator]
        return_for_revision(world)
    notification = Notification.objects.get()

    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"  # type: ignore[attr-defined]
    with pytest.raises(smtplib.SMTPException):
        notifications.notifications_email([notification.pk])
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert notification.email_attempts == 1

    # The hourly safety net finds it once it has waited a while.
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    assert notifications.notifications_unsent() == [notification.pk]

    settings.EMAIL_BACKEND = LOCMEM  # type: ignore[attr-defined]
    assert notifications.notifications_email([notification.pk]) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.email_attempts == 2
    assert [m.to for m in mail.outbox] == [[world.head_a.email]]

    assert notifications.notifications_email([notification.pk]) == 0  # sent once, not twice
    assert len(mail.outbox) == 1
    assert notifications.notifications_unsent() == []


# A broker that is down --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_returning_while_the_broker_is_down_still_answers_normally(
    monkeypatch: pytest.MonkeyPatch, media_root: object
) -> None:
    world = build_world()
    world.submit()

    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(notification_tasks.notifications_email_task, "apply_async", broker_down)
    client = Client()
    client.force_login(world.reviewer)
    response = client.post(
        reverse("assessments:review", args=[world.assessment().pk]),
        {"action": "return", "reason": "Thiếu biên bản họp", "confirmed": "1"},
    )
    assert response.status_code == 302
    assert world.assessment().status == AssessmentStatus.RETURNED
    assert Notification.objects.get().emailed_at is None  # beat's safety net sends it later


# Through the broker to a real worker -------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_returned_assessment_is_emailed_by_the_worker(
    celery_queue: str, media_root: object
) -> None:
    world = build_world()
    assert world.head_a.email
    world.submit()
    return_for_revision(world)  # commits: the task goes to the broker after the commit

    notification = Notification.objects.get(user=world.head_a)
    assert wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists()
    ), "the worker did not e-mail the notification"
    notification.refresh_from_db()
    assert notification.email_attempts == 1

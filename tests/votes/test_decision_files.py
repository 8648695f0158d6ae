"""The issue of a decision is two steps (docs/architecture.md: no slow work inside a
transaction): one transaction gives the decision and the minutes their numbers and records the
issue; after its commit, a queued task renders and signs the two PDFs. A failure there leaves the
decision issued and its files pending: the session page says so and offers to make them again,
the PDF downloads give no unsigned copy meanwhile, and a second run makes nothing twice."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CampaignEvent
from core import signing
from tests.factories import UnitFactory, authority_profile_of, manager_of
from units.models import AuthorityEvent, IssuedDocument, PublishedFile
from votes import services
from votes.models import CouncilSession

from .conftest import Council, make_council

pytestmark = pytest.mark.django_db
AWARD = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"  # decided by the commune itself
PENDING = "đang được chuẩn bị"


def closed() -> tuple[Council, User]:
    council = make_council(3, award=AWARD, authority_kind="xa")
    authority = council.session.campaign.authority
    authority_profile_of(authority)
    council.open()
    council.vote("yyy")
    council.close(decided_on=datetime.date(2026, 2, 5))
    return council, manager_of(authority)


def issue(council: Council, manager: User, *, files: bool) -> CouncilSession:
    """The manager issues the decision; `files`: the queued task runs after the commit."""
    head = authority_profile_of(council.session.campaign.authority).head
    assert head is not None
    with TestCase.captureOnCommitCallbacks(execute=files) as queued:
        services.decision_issue(actor=manager, session=council.session, signer=head)
    assert len(queued) == 1  # the files' task, queued for after the commit
    return CouncilSession.objects.get(pk=council.session.pk)


def page(client: Client, session: CouncilSession) -> str:
    url = reverse("votes:session", args=[session.campaign.code, session.pk])
    return client.get(url).content.decode()


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_issue_commits_the_numbers_and_queues_the_files() -> None:
    council, manager = closed()
    session = issue(council, manager, files=False)
    assert (session.decision_number, session.minutes_number) == ("1/QĐ-UBND", "1/BB-HĐTĐKT")
    assert session.decision_document is not None and session.minutes_document is not None
    assert session.files_pending and not PublishedFile.objects.exists()
    client = logged_in(manager)
    shown = page(client, session)
    assert "1/QĐ-UBND" in shown and PENDING in shown and "Tạo lại tệp đã ký" in shown
    # no unsigned copy of an issued document while its signed file is being made
    code = session.campaign.code
    download = client.get(reverse("votes:file", args=[code, session.pk, "quyet-dinh", "pdf"]))
    assert download.status_code == 302
    assert download["Location"] == reverse("votes:session", args=[code, session.pk])


def test_the_queued_task_makes_the_signed_files_and_records_them() -> None:
    council, manager = closed()
    session = issue(council, manager, files=True)
    assert not session.files_pending
    assert session.decision_file is not None and session.minutes_file is not None
    assert session.decision_file.reference == "1/QĐ-UBND"
    assert session.decision_file.published_by == manager
    events = CampaignEvent.objects.filter(action="decision_files_publish")
    assert list(events.values_list("actor", "new_value")) == [(manager.pk, "1/QĐ-UBND")]
    assert AuthorityEvent.objects.filter(action="file_publish").count() == 2
    shown = page(logged_in(manager), session)
    assert PENDING not in shown and "trang tra cứu" in shown


def test_a_failure_in_signing_leaves_the_decision_issued_and_the_files_to_make_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    council, manager = closed()

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("the signing device does not answer")

    with monkeypatch.context() as patched:
        patched.setattr(signing, "mark_and_sign", broken)
        session = issue(council, manager, files=True)  # the task fails, after its retries
    assert session.decision_number == "1/QĐ-UBND" and session.files_pending
    assert IssuedDocument.objects.count() == 2  # the numbers stay given
    assert not PublishedFile.objects.exists()  # nothing half made
    assert not AuthorityEvent.objects.filter(action="file_publish").exists()
    client = logged_in(manager)
    assert PENDING in page(client, session)
    url = reverse("votes:action", args=[session.campaign.code, session.pk, "publish"])
    assert client.post(url).status_code == 302
    session.refresh_from_db()
    assert not session.files_pending and PublishedFile.objects.count() == 2
    # again: nothing made twice
    assert client.post(url).status_code == 302
    services.session_files_publish(actor=manager, session=session)
    assert PublishedFile.objects.count() == 2
    assert CampaignEvent.objects.filter(action="decision_files_publish").count() == 1


def test_only_the_authoritys_manager_makes_the_files_again() -> None:
    council, manager = closed()
    session = issue(council, manager, files=False)
    stranger = manager_of(UnitFactory(name="Xã Khác"))
    with pytest.raises(PermissionDenied):
        services.session_files_publish(actor=stranger, session=session)
    url = reverse("votes:action", args=[session.campaign.code, session.pk, "publish"])
    assert logged_in(council.members[1]).post(url).status_code in (403, 422)
    assert not PublishedFile.objects.exists()


def test_the_periodic_job_makes_the_files_a_lost_task_left_undone() -> None:
    from votes.tasks import session_files_pending_task

    council, manager = closed()
    session = issue(council, manager, files=False)  # its task never ran (a broker down)
    assert session_files_pending_task() == 0  # issued a moment ago: its task may still run
    IssuedDocument.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=6))
    assert session_files_pending_task() == 1
    session.refresh_from_db()
    assert not session.files_pending and PublishedFile.objects.count() == 2
    assert session_files_pending_task() == 0

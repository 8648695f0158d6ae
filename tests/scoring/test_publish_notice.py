"""Publishing tells the head of every enrolled unit; the publish dialog counts the units that
never submitted (public as “Chưa đánh giá”); a round kept on paper keeps its own publication day."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from notifications.models import Notification
from scoring import pipeline
from scoring import services as runs
from scoring.models import ScoringRun
from tests.factories import MembershipFactory, UserFactory, manager_of
from tests.scoring.scoring_cases import Case
from units.models import Membership

pytestmark = pytest.mark.django_db


def finished_run(case: Case) -> ScoringRun:
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    pipeline.execute(run.pk)
    run.refresh_from_db()
    return run


@pytest.fixture
def case() -> Case:
    """Three units: one submitted, one drafting (never submitted), one that never began."""
    case = Case().criterion("1")
    case.unit("Xã Bình An", {"1": "9"})
    case.unit("Xã Bình Trị", {"1": "7"}, submitted=None)
    case.unit("Xã Dương Hòa")
    return case


def head_of(case: Case, name: str, **fields: object) -> object:
    user = UserFactory(**fields)
    MembershipFactory(user=user, unit=case.units[name].unit, role=Membership.Role.HEAD)
    return user


def test_publishing_sends_a_notice_to_the_head_of_every_enrolled_unit(case: Case) -> None:
    heads = [head_of(case, name) for name in ("Xã Bình An", "Xã Bình Trị", "Xã Dương Hòa")]
    head_of(case, "Xã Bình An", is_active=False)  # an account shut: no notice
    staff = UserFactory()
    MembershipFactory(user=staff, unit=case.units["Xã Bình An"].unit, role=Membership.Role.STAFF)
    run = finished_run(case)
    runs.scoring_run_publish(actor=None, run=run, publish_unreviewed=True)
    notices = Notification.objects.filter(subject__startswith="Đã công bố kết quả")
    assert sorted(n.user_id for n in notices) == sorted(h.pk for h in heads)  # type: ignore[attr-defined]
    notice = notices.first()
    assert notice is not None and case.campaign.title in notice.subject
    assert notice.url == reverse("scoring:public_results", args=[case.campaign.code])
    assert "lần tính điểm thứ 1" in notice.body


def test_a_round_kept_on_paper_keeps_its_own_publication_day(case: Case, client: Client) -> None:
    run = finished_run(case)
    day = timezone.make_aware(datetime.datetime(2019, 12, 10, 9, 0))
    runs.scoring_run_publish(actor=None, run=run, publish_unreviewed=True, published_at=day)
    run.refresh_from_db()
    assert run.published_at == day
    page = client.get(reverse("scoring:public_results", args=[case.campaign.code]))
    assert "Kết quả công bố ngày 10/12/2019" in page.content.decode()


def test_a_publication_day_in_the_future_is_refused(case: Case) -> None:
    run = finished_run(case)
    with pytest.raises(ValidationError) as refused:
        runs.scoring_run_publish(
            actor=None,
            run=run,
            publish_unreviewed=True,
            published_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert refused.value.code == "future"
    run.refresh_from_db()
    assert not run.is_published


def test_the_publish_dialog_counts_the_units_that_never_submitted(
    case: Case, client: Client
) -> None:
    finished_run(case)
    client.force_login(manager_of(case.campaign.authority))  # type: ignore[arg-type]
    response = client.get(reverse("scoring:runs", args=[case.campaign.code]))
    page = lxml_html.fromstring(response.content.decode())
    said = page.xpath("//form[@data-confirm]/@data-confirm")[0]
    assert "2 đơn vị chưa từng nộp bản tự chấm điểm" in said
    assert "Chưa đánh giá" in said
    assert "Người đứng đầu mỗi đơn vị tham gia nhận được thông báo" in said

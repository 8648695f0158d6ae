"""The PDF and the .xlsx are built by a task, off the request: the manager asks, the page shows the
progress and then a link; the file is a real download behind the rankings' access rule; a run
superseded meanwhile still gives what was asked; a broker that was down or a worker that vanished
delays the file but never loses it; week-old files go away."""

import datetime
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from scoring import exports, pipeline, tasks
from scoring import services as runs
from scoring.models import ExportJob, ExportStatus, ScoringRun
from tests.factories import MembershipFactory, UserFactory, manager_of
from tests.scoring.scoring_cases import Case
from units.models import Membership
from units.roles import Role

pytestmark = pytest.mark.django_db


def run_now(case: Case) -> ScoringRun:
    run = runs.scoring_run_start(actor=None, campaign=case.campaign)
    pipeline.execute(run.pk)
    run.refresh_from_db()
    return run


@pytest.fixture
def case() -> Case:
    case = Case().criterion("1", max_points="10")
    case.unit("Xã Bình An", {"1": "9.5"}, block="Khối xã")
    case.unit("Xã Tân Hòa", {"1": "7"}, block="Khối xã")
    run_now(case)
    return case


@pytest.fixture
def manager(case: Case) -> User:
    return manager_of(case.campaign.authority)


def ask(client: Client, case: Case, fmt: str, capture: Any, run: ScoringRun | None = None) -> Any:
    """Press the rankings page's button (the task runs in process once the request commits)."""
    with capture(execute=True):
        response = client.post(
            reverse("scoring:export", args=[case.campaign.code, fmt]),
            {"run": run.pk} if run else {},
        )
    return response


def downloaded(client: Client, case: Case, fmt: str, capture: Any, run: Any = None) -> Any:
    """Ask for the file, open the job's page, follow its link: the download response."""
    asked = ask(client, case, fmt, capture, run)
    assert asked.status_code == 302
    page = client.get(asked["Location"])
    link = reverse("scoring:export_file", args=[case.campaign.code, page.context["job"].pk])
    assert link in page.content.decode()
    return client.get(link)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_manager_asks_for_the_pdf_and_downloads_it_from_the_job_page(
    client: Client, case: Case, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(manager)
    rankings = client.get(reverse("scoring:rankings", args=[case.campaign.code])).content.decode()
    assert f'action="{reverse("scoring:export", args=[case.campaign.code, "pdf"])}"' in rankings

    response = downloaded(client, case, "pdf", django_capture_on_commit_callbacks)

    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"ket-qua-{case.campaign.code}.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    content = body(response)
    assert content.startswith(b"%PDF") and b"DejaVuSans" in content
    job = ExportJob.objects.get()
    assert job.requested_by == manager and job.status == ExportStatus.DONE
    assert job.rows_done == job.rows_total == 2
    assert job.finished_at is not None
    assert f"ket-qua-{case.campaign.code}" not in job.file.name  # a generated name on disk


def test_the_xlsx_is_built_by_the_task_in_vietnamese(
    client: Client, case: Case, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(manager)
    response = downloaded(client, case, "xlsx", django_capture_on_commit_callbacks)

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f"ket-qua-{case.campaign.code}.xlsx" in response["Content-Disposition"]
    people, exchange = load_workbook(io.BytesIO(body(response))).worksheets
    assert [c.value for c in people[2]][2] == "Xã Bình An"
    assert exchange.max_row == 3  # header + two units
    assert ExportJob.objects.get().rows_total == 4  # both sheets


def test_asking_twice_gives_the_same_job(
    client: Client, case: Case, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(manager)
    first = ask(client, case, "pdf", django_capture_on_commit_callbacks)
    second = ask(client, case, "pdf", django_capture_on_commit_callbacks)
    assert first["Location"] == second["Location"]
    assert ExportJob.objects.count() == 1


def test_a_superseded_run_still_downloads_what_was_asked(
    client: Client, case: Case, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    first = ScoringRun.objects.get()
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=False):  # asked, not yet built
        job = exports.export_job_request(actor=manager, run=first, fmt="xlsx")
    case.review("Xã Bình An", "1", "5")
    second = run_now(case)  # the newer run is now the one the rankings show
    assert second.results.get(unit_name="Xã Bình An").final_score == 50

    tasks.scoring_export_task(job.pk)
    response = client.get(reverse("scoring:export_file", args=[case.campaign.code, job.pk]))
    people = load_workbook(io.BytesIO(body(response))).worksheets[0]
    scores = {row[2].value: row[6].value for row in people.iter_rows(min_row=2)}
    assert scores["Xã Bình An"] == 95  # the first run's score (9.5 of 10), not the review's 5

    older = downloaded(client, case, "xlsx", django_capture_on_commit_callbacks, run=first)
    people = load_workbook(io.BytesIO(body(older))).worksheets[0]
    assert {row[2].value: row[6].value for row in people.iter_rows(min_row=2)} == scores


def test_while_the_file_is_built_the_page_polls_its_progress(
    client: Client, case: Case, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=False):
        job = exports.export_job_request(actor=manager, run=ScoringRun.objects.get(), fmt="pdf")
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, rows_total=2000, rows_done=500
    )
    progress = reverse("scoring:export_progress", args=[case.campaign.code, job.pk])

    page = client.get(reverse("scoring:export_job", args=[case.campaign.code, job.pk]))
    html = page.content.decode()
    assert f'hx-get="{progress}"' in html and 'data-progress="25"' in html
    assert "500/2000" in html
    assert "<script>" not in html  # the enforced CSP allows no inline script
    assert (
        client.get(reverse("scoring:export_file", args=[case.campaign.code, job.pk])).status_code
        == 404
    )

    tasks.scoring_export_task(job.pk)  # a running job is someone else's: no second build
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.QUEUED)
    tasks.scoring_export_task(job.pk)
    done = client.get(progress).content.decode()
    assert "hx-get" not in done and 'data-progress="100"' in done
    assert reverse("scoring:export_file", args=[case.campaign.code, job.pk]) in done


def test_with_the_broker_down_the_page_says_it_waits_and_the_watchdog_sends_it_again(
    client: Client, case: Case, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=False):  # the message never left
        response = client.post(reverse("scoring:export", args=[case.campaign.code, "pdf"]))
    job = ExportJob.objects.get()
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=an_hour_ago)

    page = client.get(response["Location"]).content.decode()
    assert "data-export-waits" in page and "Đang chờ hàng đợi tác vụ" in page

    assert tasks.scoring_exports_task() == {"sent": 1, "removed": 0}  # the beat job
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert tasks.scoring_exports_task() == {"sent": 0, "removed": 0}


def test_a_job_whose_worker_vanished_is_built_again_then_given_up_with_a_reason(
    client: Client, case: Case, manager: User, django_capture_on_commit_callbacks: Any, settings
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        job = exports.export_job_request(actor=manager, run=ScoringRun.objects.get(), fmt="pdf")
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.SCORING_STALE_SECONDS + 5)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, attempts=1, heartbeat_at=long_ago
    )
    assert exports.export_jobs_watchdog() == [job.pk]  # back to the queue, sent again
    tasks.scoring_export_task(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.attempts == 2

    with django_capture_on_commit_callbacks(execute=False):
        lost = exports.export_job_request(actor=manager, run=job.run, fmt="xlsx")
    ExportJob.objects.filter(pk=lost.pk).update(
        status=ExportStatus.RUNNING, attempts=settings.SCORING_MAX_ATTEMPTS, heartbeat_at=long_ago
    )
    assert exports.export_jobs_watchdog() == []
    client.force_login(manager)
    page = client.get(reverse("scoring:export_job", args=[case.campaign.code, lost.pk]))
    html = page.content.decode()
    assert "Không tạo được tệp" in html and "Máy xử lý đã dừng giữa chừng" in html
    assert "Tạo lại tệp" in html
    again = ask(client, case, "xlsx", django_capture_on_commit_callbacks)  # a new job is built
    assert again["Location"] != reverse("scoring:export_job", args=[case.campaign.code, lost.pk])
    assert ExportJob.objects.filter(status=ExportStatus.DONE, format="xlsx").count() == 1


def test_week_old_files_are_removed_with_their_records(
    case: Case, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    run = ScoringRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        old = exports.export_job_request(actor=manager, run=run, fmt="pdf")
        recent = exports.export_job_request(actor=manager, run=run, fmt="xlsx")
    old.refresh_from_db()
    assert default_storage.exists(old.file.name)
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )

    assert tasks.scoring_exports_task() == {"sent": 0, "removed": 1}
    assert not default_storage.exists(old.file.name)
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]


def test_only_who_reads_the_rankings_asks_for_or_downloads_a_file(
    client: Client, case: Case, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.export_job_request(actor=manager, run=ScoringRun.objects.get(), fmt="pdf")
    staff = UserFactory(roles=[Role.UNIT_STAFF])
    enrolment = case.units["Xã Bình An"]
    MembershipFactory(user=staff, unit=enrolment.unit, role=Membership.Role.STAFF)
    stranger = manager_of(Case().campaign.authority)  # manages another authority
    code = case.campaign.code
    for user in (staff, stranger):
        client.force_login(user)
        for name in ("export_job", "export_progress", "export_file"):
            assert client.get(reverse(f"scoring:{name}", args=[code, job.pk])).status_code == 403
        assert client.post(reverse("scoring:export", args=[code, "pdf"])).status_code == 403
    assert ExportJob.objects.count() == 1


def test_another_manager_downloads_a_file_someone_else_asked_for(
    client: Client, case: Case, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.export_job_request(actor=manager, run=ScoringRun.objects.get(), fmt="pdf")
    colleague = manager_of(case.campaign.authority)
    client.force_login(colleague)
    response = client.get(reverse("scoring:export_file", args=[case.campaign.code, job.pk]))
    assert response.status_code == 200 and body(response).startswith(b"%PDF")


def test_a_get_of_the_old_address_offers_to_build_the_file(
    client: Client, case: Case, manager: User
) -> None:
    client.force_login(manager)
    page = client.get(reverse("scoring:export", args=[case.campaign.code, "xlsx"]))
    assert page.status_code == 200 and "Tạo tệp" in page.content.decode()
    assert not ExportJob.objects.exists()  # a GET changes nothing


def test_a_file_gone_from_the_storage_is_a_404_and_asking_again_builds_it(
    client: Client, case: Case, manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(manager)
    first = ask(client, case, "pdf", django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    default_storage.delete(job.file.name)

    gone = client.get(reverse("scoring:export_file", args=[case.campaign.code, job.pk]))
    assert gone.status_code == 404
    again = ask(client, case, "pdf", django_capture_on_commit_callbacks)
    assert again["Location"] != first["Location"]
    assert body(downloaded(client, case, "pdf", django_capture_on_commit_callbacks)).startswith(
        b"%PDF"
    )


def test_a_file_that_cannot_be_written_fails_the_job_with_the_reason(
    client: Client,
    case: Case,
    manager: User,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def disk_full(*args: object, **kwargs: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(default_storage, "save", disk_full)  # the file system, outside the portal
    client.force_login(manager)
    ask(client, case, "pdf", django_capture_on_commit_callbacks)

    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED and "No space left" in job.error
    page = client.get(reverse("scoring:export_job", args=[case.campaign.code, job.pk]))
    assert "Không tạo được tệp" in page.content.decode()

"""A results file through the real broker and a worker process: the manager asks, a worker writes
it, the page links it and the download is the file."""

import pytest
from django.test import Client
from django.urls import reverse

from scoring.models import ExportJob, ExportStatus
from tests.conftest import wait_for
from tests.factories import manager_of
from tests.scoring.scoring_cases import Case
from tests.scoring.test_export_jobs import body, run_now

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_worker_builds_the_file_the_manager_asked_for(celery_queue: str, client: Client) -> None:
    case = Case().criterion("1")
    for i in range(30):
        case.unit(f"Xã {i:02d}", {"1": str(i % 11)}, block=f"K{i % 3}")
    run_now(case)
    code = case.campaign.code
    client.force_login(manager_of(case.campaign.authority))

    asked = client.post(reverse("scoring:export", args=[code, "xlsx"]))
    job = ExportJob.objects.get()
    assert wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == ExportStatus.DONE, 120)

    page = client.get(asked["Location"]).content.decode()
    link = reverse("scoring:export_file", args=[code, job.pk])
    assert link in page and "hx-get" not in page
    response = client.get(link)
    assert f"ket-qua-{code}.xlsx" in response["Content-Disposition"]
    assert body(response)[:2] == b"PK"  # a zip: the workbook

"""The read-only API: a client's token opens its authority's campaigns, published results and
awards, and nothing else; the schema describes it and validates."""

import uuid

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from api.services import api_client_revoke
from scoring import pipeline
from scoring import services as runs
from tests.core.test_throttle import hit_in_another_process, production_cache

from .conftest import AWARD, Authority

pytestmark = pytest.mark.django_db


def test_a_request_without_a_token_answers_401_with_its_challenge(ours: Authority) -> None:
    for url in [
        reverse("api:campaigns"),
        reverse("api:results", args=[ours.code]),
        reverse("api:awards"),
    ]:
        response = Client().get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_managers_session_opens_nothing(
    ours: Authority, manager_client: Client
) -> None:
    assert manager_client.get(reverse("api:campaigns")).status_code == 401


def test_a_wrong_or_malformed_token_answers_401(ours: Authority) -> None:
    url = reverse("api:campaigns")
    for header in ["Bearer nope", "Bearer", "Bearer a b", "Token " + "x" * 500]:
        assert Client(HTTP_AUTHORIZATION=header).get(url).status_code == 401, header


def test_the_token_also_reads_with_the_token_keyword(ours: Authority) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Token {ours.token}")
    assert client.get(reverse("api:campaigns")).status_code == 200


def test_a_revoked_token_answers_401(ours: Authority) -> None:
    api_client_revoke(actor=ours.manager, client=ours.client)
    assert ours.api().get(reverse("api:campaigns")).status_code == 401


def test_a_client_lists_only_its_authoritys_campaigns(ours: Authority, theirs: Authority) -> None:
    data = ours.api().get(reverse("api:campaigns")).json()
    assert [row["code"] for row in data["results"]] == [ours.code]
    row = data["results"][0]
    assert set(row) == {"code", "title", "starts_on", "ends_on", "status", "published_at"}
    assert row["published_at"] is not None


def test_another_authoritys_campaign_answers_404(ours: Authority, theirs: Authority) -> None:
    api = ours.api()
    assert api.get(reverse("api:campaign", args=[theirs.code])).status_code == 404
    assert api.get(reverse("api:results", args=[theirs.code])).status_code == 404
    assert api.get(reverse("api:awards"), {"campaign": theirs.code}).status_code == 404


def test_results_are_the_published_runs_export_columns(ours: Authority) -> None:
    data = ours.api().get(reverse("api:results", args=[ours.code])).json()
    assert data["count"] == 2
    first = data["results"][0]
    assert list(first) == [
        "unit_code",
        "unit_name",
        "block_code",
        "self_score",
        "final_score",
        "rank",
        "block_rank",
        "classification",
        "exemplary",
        "critical_shortfall",
    ]
    assert first["unit_name"] == "Xã Bình Một" and first["rank"] == 1


def test_a_later_run_not_yet_published_does_not_show(ours: Authority) -> None:
    url = reverse("api:results", args=[ours.code])
    before = ours.api().get(url).json()
    run = runs.scoring_run_start(actor=None, campaign=ours.case.campaign)
    pipeline.execute(run.pk)
    assert ours.api().get(url).json() == before


def test_a_campaign_without_published_results_lists_none(ours: Authority) -> None:
    ours.case.campaign.scoring_runs.update(is_published=False)
    data = ours.api().get(reverse("api:results", args=[ours.code])).json()
    assert data["count"] == 0


def test_awards_are_what_the_closed_session_passed_without_the_votes(
    ours: Authority, theirs: Authority
) -> None:
    data = ours.api().get(reverse("api:awards")).json()
    assert data["count"] == 1
    award = data["results"][0]
    assert award["recipient"] == "Xã Bình Một" and award["award"] == AWARD
    assert award["campaign"] == ours.code and award["decision_number"] == "1/QĐ-UBND"
    text = str(data)
    assert "Trần Thị" not in text and "yes" not in award and "Nguyễn Văn An" not in text


def test_a_hostile_campaign_code_answers_404(ours: Authority) -> None:
    api = ours.api()
    for code in ["\x00", "' OR 1=1 --", "x" * 5000, "%00"]:
        assert api.get(reverse("api:awards"), {"campaign": code}).status_code == 404
    assert api.get("/api/campaigns/%00/results/").status_code == 404


def test_pages_have_at_most_a_set_number_of_rows_and_bad_pages_answer_404(ours: Authority) -> None:
    api = ours.api()
    url = reverse("api:results", args=[ours.code])
    assert len(api.get(url, {"page_size": 1}).json()["results"]) == 1
    assert api.get(url, {"page_size": "99999999999999999999"}).status_code == 200
    for page in ["0", "-1", "abc", "99", "<script>"]:
        assert api.get(url, {"page": page}).status_code == 404, page


def test_a_client_is_throttled_after_its_rate(ours: Authority, settings) -> None:  # type: ignore[no-untyped-def]
    settings.API_RATE = "3/hour"
    api = ours.api()
    statuses = [api.get(reverse("api:campaigns")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.integration
def test_a_clients_budget_is_one_for_every_web_process(ours: Authority, settings) -> None:  # type: ignore[no-untyped-def]
    """With production's shared cache, a request counted by another gunicorn worker spends the
    same budget: past it, this process refuses with 429 and says when to come back."""
    settings.CACHES = production_cache(f"test-{uuid.uuid4().hex}")
    settings.API_RATE = "1/hour"
    counted = hit_in_another_process(settings.CACHES, "api-client", str(ours.client.pk), 3600)
    assert counted == 1
    refused = ours.api().get(reverse("api:campaigns"))
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600


def test_each_client_has_its_own_budget(ours: Authority, theirs: Authority, settings) -> None:  # type: ignore[no-untyped-def]
    settings.API_RATE = "1/hour"
    assert ours.api().get(reverse("api:campaigns")).status_code == 200
    assert theirs.api().get(reverse("api:campaigns")).status_code == 200


def test_a_call_records_when_the_client_was_last_used(ours: Authority) -> None:
    assert ours.client.last_used_at is None
    ours.api().get(reverse("api:campaigns"))
    ours.client.refresh_from_db()
    assert ours.client.last_used_at is not None


def test_the_schema_validates_without_a_warning(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/awards/" in text and "/api/ledger/" in text and "bearer" in text


def test_the_schema_and_docs_are_public_and_served_from_our_own_files() -> None:
    assert Client().get(reverse("api:schema")).status_code == 200
    docs = Client().get(reverse("api:docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<style" not in html and "https://" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script = Client().get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_the_ledger_lists_what_the_authoritys_decisions_show(
    ours: Authority, theirs: Authority
) -> None:
    response = ours.api().get(reverse("api:ledger"))
    assert response.status_code == 200
    (entry,) = response.json()["results"]
    assert entry["decision_number"] == "1/QĐ-UBND"
    assert entry["award"] == "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã"
    assert entry["recipient_kind"] == "collective"
    assert entry["unit_name"].endswith("Một")
    assert entry["campaign"] == ours.code
    assert entry["year"] == 2026 and entry["signer"]
    # what the decision shows, nothing about a person beyond it
    assert set(entry) == {
        "id",
        "year",
        "recipient_kind",
        "recipient",
        "person_name",
        "unit_code",
        "unit_name",
        "award_code",
        "award",
        "decision_number",
        "decision_date",
        "signer",
        "deciding_authority",
        "campaign",
        "amount",
    }
    theirs_entry = theirs.api().get(reverse("api:ledger")).json()["results"]
    assert [e["id"] for e in theirs_entry] != [entry["id"]]
    assert entry["id"] not in {e["id"] for e in theirs_entry}
    assert ours.api().get(reverse("api:ledger"), {"year": 2019}).json()["results"] == []
    assert ours.api().get(reverse("api:ledger"), {"year": "x"}).status_code == 400
    assert ours.api().get(reverse("api:ledger"), {"unit": entry["unit_code"]}).json()["count"] == 1
    # another authority's unit answers 404, as a missing one
    assert theirs.api().get(reverse("api:ledger"), {"unit": entry["unit_code"]}).status_code == 404


def test_the_ledger_answers_401_without_a_token() -> None:
    response = Client().get(reverse("api:ledger"))
    assert response.status_code == 401

"""A line of help under every form field an officer could misread: the window's dates, the
counts and weights of scoring, thresholds, blocks, quotas, recipients, amounts, the decision's
signer and number, the base salary and its source. Each is present, translated, and shown on the
page that holds the form."""

import datetime

import pytest
from django import forms
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from assessments.forms import AssignmentForm
from campaigns import services as campaign_services
from campaigns.forms import (
    CampaignForm,
    CampaignUpdateForm,
    ConferenceForm,
    CouncilRoleForm,
    CouncilSeatForm,
    CriterionForm,
    EnrolUnitsForm,
    RegistrationForm,
    ReopenForm,
)
from campaigns.models import Campaign
from core.forms import TwoFactorSetUpForm
from devtools.demo import CAMPAIGN_2026, XKL, seed_demo
from units.forms import (
    AuthorityProfileForm,
    BlockForm,
    PersonEditForm,
    PersonForm,
    RoleForm,
)
from units.models import Unit
from votes import services as vote_services
from votes.forms import (
    AwardNumbersForm,
    BaseSalaryForm,
    CloseForm,
    DesignationForm,
    IssueForm,
    LedgerImportForm,
    NominationForm,
    ProvinceRatioForm,
    QuotaForm,
    SessionForm,
    WrittenBallotForm,
)
from votes.models import Award

MULTIPLES = ["multiple_collective", "multiple_individual", "multiple_household"]
CAMPAIGN_DATES = ["starts_on", "ends_on", "window_opens_on", "window_closes_on"]
CAMPAIGN_COUNTS = ["exemplary_per_block", "review_stages"]
PROFILE = ["parent_body", "issuing_body", "name", "code", "place_name", "head_title"]

# The fields that must carry help.
FIELDS_WITH_HELP: dict[type[forms.BaseForm], list[str]] = {
    CampaignForm: ["code", *CAMPAIGN_DATES, *CAMPAIGN_COUNTS, "template"],
    CampaignUpdateForm: [
        *CAMPAIGN_DATES,
        *CAMPAIGN_COUNTS,
        "score_step",
        "excellent_min",
        "good_min",
        "pass_min",
        "bonus_limit",
        "deduction_limit",
    ],
    CriterionForm: [
        "parent",
        "code",
        "kind",
        "max_points",
        "critical",
        "evidence_required",
        "order",
    ],
    EnrolUnitsForm: ["units", "subtree", "block"],
    ReopenForm: ["until"],
    RegistrationForm: ["targets"],
    ConferenceForm: ["attending_units"],
    CouncilSeatForm: ["user", "role", "on"],
    CouncilRoleForm: ["role", "on"],
    AuthorityProfileForm: [*PROFILE, "head_name", "deputy_names"],
    BlockForm: ["year", "head_unit", "members"],
    PersonForm: ["username", "email", "unit", "role", "council_member", "invite"],
    PersonEditForm: ["council_member"],
    RoleForm: ["unit", "role"],
    AssignmentForm: ["reviewer", "block", "stage"],
    SessionForm: ["held_on", "place_name", "considers_awards"],
    NominationForm: ["recipient_kind", "award", "achievements", "condition_reason"],
    LedgerImportForm: ["authority", "file"],
    DesignationForm: ["recipient_kind"],
    QuotaForm: ["award", "limit", "source"],
    WrittenBallotForm: ["member"],
    CloseForm: ["decided_on"],
    IssueForm: ["signer"],
    AwardNumbersForm: ["threshold_percent", *MULTIPLES, "source", "verified"],
    BaseSalaryForm: ["valid_from", "amount", "source", "verified"],
    ProvinceRatioForm: ["award", "valid_from", "valid_to", "rule", "threshold_percent", "source"],
    TwoFactorSetUpForm: ["code"],
}
CASES = [(form, name) for form, names in FIELDS_WITH_HELP.items() for name in names]


@pytest.mark.parametrize(("form", "name"), CASES, ids=[f"{f.__name__}.{n}" for f, n in CASES])
def test_the_field_has_help_in_vietnamese_and_english(
    form: type[forms.BaseForm], name: str
) -> None:
    help_text = form.base_fields[name].help_text
    with translation.override("vi"):
        vietnamese = str(help_text)
    with translation.override("en"):
        english = str(help_text)
    assert vietnamese.strip()
    assert english.strip() and english != vietnamese, f"{form.__name__}.{name}: no English"


def help_of(form: type[forms.BaseForm], *names: str) -> list[str]:
    return [escape(str(form.base_fields[name].help_text)) for name in names]


@pytest.mark.django_db
def test_the_help_is_shown_under_the_fields_on_their_pages(client: Client) -> None:
    """On the demo: each page that holds one of the forms shows the help of its fields. (The
    session's close, issue and written-vote forms appear only while voting; their help is
    checked above.)"""
    seed_demo()
    manager = User.objects.get(username="manager")
    head = User.objects.get(username="unithead")
    authority = Unit.objects.get(code=XKL)
    today = datetime.date(2026, 12, 7)
    draft = campaign_services.campaign_create(
        actor=manager,
        code="HELP-DRAFT",
        title="Phong trào nháp",
        authority=authority,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=60),
        window_opens_on=today + datetime.timedelta(days=10),
        window_closes_on=today + datetime.timedelta(days=30),
    )
    live = Campaign.objects.get(code=CAMPAIGN_2026)
    session = vote_services.session_create(actor=manager, campaign=live, held_on=today)
    award = Award.objects.order_by("pk").first()
    assert award is not None
    profile = [*PROFILE, "head_name", "deputy_names"]
    pages = {
        "manager": {
            reverse("campaigns:create"): help_of(
                CampaignForm, "code", *CAMPAIGN_DATES, *CAMPAIGN_COUNTS
            ),
            reverse("campaigns:update", args=[draft.code]): help_of(
                CampaignUpdateForm, "score_step", "excellent_min", "bonus_limit"
            ),
            reverse("campaigns:criterion_add", args=[draft.code]): help_of(
                CriterionForm, *FIELDS_WITH_HELP[CriterionForm]
            ),
            reverse("campaigns:enrolments", args=[draft.code]): help_of(
                EnrolUnitsForm, "units", "subtree", "block"
            ),
            reverse("campaigns:conference_add", args=[draft.code]): help_of(
                ConferenceForm, "attending_units"
            ),
            reverse("campaigns:council", args=[live.code]): help_of(
                CouncilSeatForm, "user", "role", "on"
            ),
            reverse("assessments:assignments", args=[live.code]): help_of(
                AssignmentForm, "reviewer", "block", "stage"
            ),
            reverse("votes:sessions", args=[live.code]): [
                *help_of(SessionForm, "held_on", "place_name", "considers_awards"),
                *help_of(QuotaForm, "award", "limit", "source"),
            ],
            reverse("votes:session", args=[live.code, session.pk]): help_of(
                NominationForm, "recipient_kind", "award", "achievements", "condition_reason"
            ),
            reverse("votes:ledger_import"): help_of(LedgerImportForm, "authority", "file"),
            reverse("units:authority_profile", args=[authority.pk]): help_of(
                AuthorityProfileForm, *profile
            ),
            reverse("units:person_add"): help_of(PersonForm, *FIELDS_WITH_HELP[PersonForm]),
            reverse("units:person_edit", args=[head.pk]): help_of(PersonEditForm, "council_member"),
            reverse("units:person", args=[head.pk]): help_of(RoleForm, "unit", "role"),
            reverse("units:block_add"): help_of(BlockForm, "year", "head_unit", "members"),
            reverse("two_factor_set_up"): help_of(TwoFactorSetUpForm, "code"),
        },
        "superuser": {
            reverse("votes:award_edit", args=[award.pk]): help_of(
                AwardNumbersForm, *FIELDS_WITH_HELP[AwardNumbersForm]
            ),
            reverse("votes:base_salary"): help_of(
                BaseSalaryForm, *FIELDS_WITH_HELP[BaseSalaryForm]
            ),
        },
    }
    User.objects.create_superuser("superuser", "root@example.invalid", "x")
    missing = []
    for username, urls in pages.items():
        client.force_login(User.objects.get(username=username))
        for url, helps in urls.items():
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            missing += [f"{url}: {text[:60]}" for text in helps if text not in page]
    assert missing == []

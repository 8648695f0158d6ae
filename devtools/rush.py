"""The deadline rush's world (`make loadtest`), built through the services as an authority would.

An authority with `units` units in blocks of 15, one head each (an account that signs in with the
given password), a checklist of `criteria` criteria, a council of `reviewers` members (each block
reviewed by one of them), launched, registered and with its window open today: every head has
still to fill the checklist. Beside it, the authority's previous round (`loadgen.generate`, scored
by two reviewers, under review) is what its manager scores at the rush's midpoint: a campaign
whose window is open cannot be scored.

`plan` is what the load test reads: who signs in as whom, and which form fields each page has.
Whoever the deployed portal makes use two-factor (the manager; a council chair or secretary would
too) gets an authenticator through the two-factor service, as at a first sign-in; its secret is in
the plan, so the load test types the current code like the person's app would show it.
"""

import datetime
from binascii import unhexlify
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import rules
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.util import random_hex

from assessments import services as assessment_services
from campaigns import services as campaign_services
from campaigns.models import Campaign, CouncilSeat, Criterion, CriterionKind
from core.services import two_factor_enable
from core.signins import SignInClient
from core.twofactor import TWO_FACTOR_REQUIRED_RULE
from devtools import loadgen
from units import people
from units import services as unit_services
from units.models import Membership, Unit

BLOCK_SIZE = 15
# A mix like the real checklists: mostly points, some pass/fail, one deduction, one bonus.
KINDS = [CriterionKind.POINTS] * 7 + [CriterionKind.YES_NO] * 2 + [CriterionKind.POINTS]


@dataclass
class Plan:
    code: str
    previous: str
    manager: str
    password: str
    heads: list[tuple[str, int]]  # (username, enrolment id)
    reviewers: list[str]
    criteria: list[tuple[int, str, str]]  # (id, kind, max points)
    # username -> the hex secret of its authenticator, for those who must use two-factor
    totp_keys: dict[str, str] = field(default_factory=dict)


def _member(
    unit: Unit, username: str, name: str, as_: str, password: str, *, council: bool = False
) -> User:
    """An account made by the system through the people service (its role in `unit` gives its
    portal role), with the rush's password instead of an invitation."""
    user = people.person_create(
        actor=None,
        username=username,
        full_name=name,
        email=f"{username}@example.invalid",
        unit=unit,
        role=as_,
        council_member=council,
        invite=False,
    )
    user.set_password(password)  # the load test signs in with it; no service sets a password
    user.save(update_fields=["password"])
    return user


def _authenticators(users: list[User]) -> dict[str, str]:
    """Turn two-factor on, through its service, for each of `users` whom production makes use it
    (whatever this process's OTP_REQUIRED_FOR_OFFICERS): username -> the authenticator's secret."""
    keys = {}
    for user in users:
        if rules.test_rule(TWO_FACTOR_REQUIRED_RULE, user):
            key = random_hex(20)
            code = f"{totp(unhexlify(key)):06d}"  # what the app shows at the set-up
            two_factor_enable(actor=user, key=key, code=code, client=SignInClient())
            keys[user.get_username()] = key
    return keys


def _checklist(campaign: Campaign, criteria: int) -> None:
    for i in range(criteria):
        kind = KINDS[i % len(KINDS)]
        if i == criteria - 1:
            kind = CriterionKind.BONUS
        elif i == criteria - 2:
            kind = CriterionKind.DEDUCTION
        campaign_services.criterion_save(
            actor=None,
            checklist=campaign.checklist,  # type: ignore[arg-type]
            code=str(i + 1),
            parent=None,
            title=f"Tiêu chí {i + 1}",
            kind=kind,
            max_points=Decimal(10 if kind == CriterionKind.POINTS else 2),
            critical=i == 0,
            evidence_required=False,
            order=i * 10,
        )


@transaction.atomic
def generate(*, code: str, units: int, criteria: int, reviewers: int, password: str) -> Plan:
    """Build the rush campaign `code` and its previous round `code`PREV, on a fresh database."""
    previous = loadgen.generate(
        code=f"{code}PREV",
        units=units,
        blocks=max(1, units // BLOCK_SIZE),
        criteria=criteria,
        reviewers=2,
    )
    kinds = unit_services.unit_kinds_ensure()
    authority = previous.authority
    assert authority is not None  # noqa: S101 - loadgen always sets it
    manager = _member(
        authority,
        f"{code.lower()}-manager",
        "Cán bộ thi đua thử tải",
        Membership.Role.OFFICER,
        password,
    )
    today = timezone.localdate()
    campaign = campaign_services.campaign_create(
        actor=manager,
        code=code,
        title=f"Cao điểm nộp bài: {units} đơn vị",
        authority=authority,
        starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31),
        window_opens_on=today - datetime.timedelta(days=20),
        window_closes_on=today + datetime.timedelta(days=1),
    )
    _checklist(campaign, criteria)
    council = [
        _member(
            authority,
            f"{code.lower()}-council-{i}",
            f"Thành viên hội đồng {i}",
            Membership.Role.STAFF,
            password,
            council=True,
        )
        for i in range(reviewers)
    ]
    for user in council:
        campaign_services.council_seat_set(
            actor=manager, campaign=campaign, user=user, role=CouncilSeat.Role.MEMBER
        )
    heads: dict[int, User] = {}
    blocks = []
    for start in range(0, units, BLOCK_SIZE):
        members = []
        for i in range(start, min(start + BLOCK_SIZE, units)):
            unit = unit_services.unit_create(
                actor=manager,
                code=f"{code}-{i:05d}",
                name=f"Đơn vị cao điểm {i}",
                kind=kinds["xa"],
                parent=authority,
            )
            heads[unit.pk] = _member(
                unit,
                f"{code.lower()}-head-{i}",
                f"Thủ trưởng đơn vị {i}",
                Membership.Role.HEAD,
                password,
            )
            members.append(unit)
        block = unit_services.block_create(
            actor=manager,
            code=f"{code}-B{len(blocks):03d}",
            name=f"Khối cao điểm {len(blocks)}",
            members=members,
            head_unit=members[0],
            year=today.year,
        )
        campaign_services.campaign_enrol_block(actor=manager, campaign=campaign, block=block)
        blocks.append(block)
    campaign_services.campaign_launch(actor=manager, campaign=campaign)
    for enrolment in campaign.enrolments.select_related("unit"):
        registration = campaign_services.registration_send(
            actor=heads[enrolment.unit_id], enrolment=enrolment, targets="Hoàn thành xuất sắc"
        )
        campaign_services.registration_decide(actor=manager, registration=registration, accept=True)
    for i, block in enumerate(blocks):
        assessment_services.review_assign(
            actor=manager, campaign=campaign, reviewer=council[i % len(council)], block=block
        )
    campaign_services.campaign_transition(actor=manager, campaign=campaign, action="open_window")
    return plan(code, password, totp_keys=_authenticators([manager, *council]))


def plan(code: str, password: str, *, totp_keys: dict[str, str] | None = None) -> Plan:
    campaign = Campaign.objects.get(code=code)
    enrolments = campaign.enrolments.select_related("unit").order_by("unit__code")
    heads = {
        m.unit_id: m.user.username
        for m in Membership.objects.filter(
            unit__in=[e.unit_id for e in enrolments], role=Membership.Role.HEAD
        ).select_related("user")
    }
    criteria = Criterion.objects.filter(checklist=campaign.checklist).order_by("order")
    return Plan(
        code=code,
        previous=f"{code}PREV",
        manager=f"{code.lower()}-manager",
        password=password,
        heads=[(heads[e.unit_id], e.pk) for e in enrolments],
        reviewers=list(
            campaign.council_seats.order_by("user__username").values_list(
                "user__username", flat=True
            )
        ),
        criteria=[(c.pk, c.kind, str(c.max_points)) for c in criteria],
        totp_keys=totp_keys or {},
    )


def as_json(value: Plan) -> dict[str, object]:
    return asdict(value)

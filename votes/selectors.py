"""Reads for the council pages and documents. No count leaves the database before the close:
the only reads of votes are the closed nominations' snapshots."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db.models import QuerySet

from campaigns.models import Campaign

from .models import Attendance, CouncilSession, Nomination, SessionStatus, VoteReceipt


def sessions_of(campaign: Campaign) -> QuerySet[CouncilSession]:
    return campaign.sessions.all()


def attendance_of(session: CouncilSession) -> list[Attendance]:
    return list(session.attendance.select_related("user"))


def nominations_of(session: CouncilSession) -> QuerySet[Nomination]:
    return session.nominations.select_related("enrolment__unit", "award", "session").order_by("pk")


def voted_by(session: CouncilSession, user: User) -> set[int]:
    """The nominations this member has voted on (their own receipts, never a choice)."""
    return set(
        VoteReceipt.objects.filter(nomination__session=session, user=user).values_list(
            "nomination_id", flat=True
        )
    )


def percent(part: int, whole: int) -> str:
    """ "66,67" — two decimals, half-up, a decimal comma; whole numbers without decimals."""
    if not whole:
        return "0"
    value = (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    text = f"{value:.2f}".replace(".", ",")
    return text.removesuffix(",00")


def money(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}".replace(",", ".") + " đ"


@dataclass(frozen=True)
class Outcome:
    """A closed nomination as the minutes and the decision write it."""

    nomination: Nomination
    members: int

    @property
    def share(self) -> str:
        """ "x/y thành viên (z%)": yes votes against ALL members."""
        yes = self.nomination.yes or 0
        return f"{yes}/{self.members} thành viên ({percent(yes, self.members)}%)"

    def share_of(self, count: int | None) -> str:
        return f"{count or 0}/{self.members} ({percent(count or 0, self.members)}%)"

    @property
    def no_share(self) -> str:
        return self.share_of(self.nomination.no)

    @property
    def abstain_share(self) -> str:
        return self.share_of(self.nomination.abstain)

    @property
    def amount(self) -> str:
        return money(self.nomination.amount)


def outcomes_of(session: CouncilSession) -> list[Outcome]:
    """The closed session's snapshot; nothing before the close."""
    if session.status != SessionStatus.CLOSED:
        return []
    return [Outcome(n, session.member_count or 0) for n in nominations_of(session)]


def commended(campaign: Campaign) -> list[Outcome]:
    """What closed sessions of the campaign passed, for the public page."""
    return [
        outcome
        for session in campaign.sessions.filter(status=SessionStatus.CLOSED)
        for outcome in outcomes_of(session)
        if outcome.nomination.passed
    ]

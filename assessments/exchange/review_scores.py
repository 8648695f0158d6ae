"""The `review_scores` sheet: the council's first-stage scores. A reviewer named for the first
time gets an account without a usable password and a seat on the council
(`campaigns.services.council_members_ensure`); the scores go through
`assessments.services.review_scores_import`."""

from collections import Counter

from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.services import council_members_ensure
from core.workbooks import Row, text_cell

from ..services import ReviewScoreEntry, review_scores_import
from .sheets import Known, ScoreRules, duplicate, known_unit, number


def check(
    rows: list[Row], unit_codes: set[str], rules: ScoreRules, known: Known
) -> list[ReviewScoreEntry]:
    seen: dict[str, int] = {}
    checked = []
    for row in rows:
        reviewer = _reviewer(row)
        unit_code = known_unit(row, "unit_code", unit_codes)
        if (reviewer, unit_code) in known.memberships:
            raise row.error(
                "unit_code",
                _("“%(user)s” thuộc đơn vị “%(unit)s” nên không được thẩm định đơn vị này.")
                % {"user": reviewer, "unit": unit_code},
            )
        criterion = rules.criterion(row, "criterion_code")
        duplicate(row, "criterion_code", f"{reviewer} / {unit_code} / {criterion.code}", seen)
        score = number(row, "score")
        if score is None:
            raise row.error("score", _("không được để trống."))
        rules.check(row, criterion, score)
        checked.append(
            ReviewScoreEntry(row, reviewer, unit_code, criterion.code, score, row.text("comment"))
        )
    return checked


def _reviewer(row: Row) -> str:
    username = text_cell(row, "reviewer", 150, required=True)
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise row.error(
            "reviewer",
            _("“%(name)s” không phải tên đăng nhập hợp lệ (chữ, số và @ . + - _).")
            % {"name": username},
        ) from None
    return username


def check_seated(
    entries: list[ReviewScoreEntry], known: Known, existing: Campaign | None, seating: set[str]
) -> None:
    """A manager's file may name new reviewer accounts (created, then seated), never an existing
    account that does not sit on this campaign's council, nor is seated by the file's `council`
    sheet (`seating`): that would score in its name."""
    seated = set(seating)
    if existing is not None:
        standing = existing.council_seats.filter(valid_to=None)
        seated |= set(standing.values_list("user__username", flat=True))
    for entry in entries:
        if entry.reviewer in known.users and entry.reviewer not in seated:
            raise entry.row.error(
                "reviewer",
                _("tài khoản “%(name)s” không phải thành viên Hội đồng của phong trào này.")
                % {"name": entry.reviewer},
            )


def apply(
    entries: list[ReviewScoreEntry], *, actor: User | None, campaign: Campaign
) -> Counter[str]:
    if not entries:
        return Counter()
    _users, counts = council_members_ensure(
        actor=actor, campaign=campaign, usernames=[entry.reviewer for entry in entries]
    )
    return counts + review_scores_import(actor=actor, campaign=campaign, entries=entries)

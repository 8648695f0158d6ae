"""What a valid score is (docs/domain.md): the one check every entry point uses."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.models import Criterion, CriterionKind

# Exponents well past any score either way; inside them the step and range checks are exact.
SCORE_DIGITS, SCORE_PLACES = 30, 20


def parse_score(raw: object) -> Decimal | None:
    """A cell or form value as an exact Decimal; blank is None; anything else is refused."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValidationError(_("“%(value)s” không phải là số."), params={"value": raw})
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(
            _("“%(value)s” không phải là số."), params={"value": raw}, code="not_a_number"
        ) from None
    if not value.is_finite():
        raise ValidationError(_("“%(value)s” không phải là số."), params={"value": raw})
    if value and not -SCORE_PLACES <= value.adjusted() <= SCORE_DIGITS:
        # Far beyond any score (1e-99999999, 1e+50): the decimal context would round it away
        # in the step check, and the database column cannot hold it.
        raise ValidationError(
            _("“%(value)s” không phải là điểm hợp lệ."),
            params={"value": str(raw)[:20]},
            code="not_a_score",
        )
    return value


def check_score(*, criterion: Criterion, value: Decimal, step: Decimal, is_section: bool) -> None:
    """Refuse a score for a section, outside 0..max, off the step, or not 0/max for yes_no."""
    if is_section:
        raise ValidationError(
            _("“%(code)s” là mục, không chấm điểm."),
            params={"code": criterion.code},
            code="section",
        )
    if value < 0 or value > criterion.max_points:
        raise ValidationError(
            _("Điểm %(value)s của tiêu chí %(code)s phải từ 0 đến %(max)s."),
            params={"value": value, "code": criterion.code, "max": criterion.max_points},
            code="out_of_range",
        )
    if criterion.kind == CriterionKind.YES_NO:
        if value not in (Decimal(0), criterion.max_points):
            raise ValidationError(
                _("Tiêu chí %(code)s chỉ nhận 0 hoặc %(max)s điểm."),
                params={"code": criterion.code, "max": criterion.max_points},
                code="yes_no",
            )
    elif value % step != 0:
        raise ValidationError(
            _("Điểm %(value)s của tiêu chí %(code)s phải theo bước %(step)s."),
            params={"value": value, "code": criterion.code, "step": step.normalize()},
            code="step",
        )

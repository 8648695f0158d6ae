"""Numbers as Vietnamese offices write them, through Django's localisation (the active
language's formats): scores with two decimals (9,50), amounts grouped (1.520.000 đ)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def score(value: object, places: int = 2) -> str:
    """A score with `places` decimals in the active language (9,50; 91,82); blank stays blank."""
    number = _decimal(value)
    if number is None:
        return ""
    return formats.number_format(number, decimal_pos=int(places), use_l10n=True)


@register.filter
def points(value: object) -> str:
    """A maximum or a step without trailing zeros (10; 2,5)."""
    number = _decimal(value)
    if number is None:
        return ""
    normal = number.normalize()
    places = max(0, -normal.as_tuple().exponent)  # type: ignore[operator]
    return formats.number_format(number, decimal_pos=places, use_l10n=True)


@register.filter
def grouped(value: object) -> str:
    """A whole number with its thousands grouped (1.520.000)."""
    number = _decimal(value)
    if number is None:
        return ""
    return formats.number_format(number, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def dong(value: object) -> str:
    """An amount of money in đồng (1.520.000 đ)."""
    text = grouped(value)
    return f"{text} đ" if text else ""

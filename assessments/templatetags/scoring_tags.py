from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def posted_or(posted: Any, name: str, pk: int, saved: Any) -> Any:
    """What the user typed (after a refused save) or else the saved value: nothing typed is lost."""
    key = f"{name}_{pk}"
    if posted is not None and key in posted:
        return posted[key]
    return "" if saved is None else saved


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None

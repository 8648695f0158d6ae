"""Lines of a history (a model built on core.models.HistoryEvent), written the same way by every
app: the services that change something call `history_record`, or `history_line` for many lines
in one `bulk_create`."""

from typing import Any, TypeVar

from django.contrib.auth.models import User

from .models import HistoryEvent

Event = TypeVar("Event", bound=HistoryEvent)


def shown(value: object) -> str:
    """A value as a history keeps it: text, and nothing for None."""
    return "" if value is None else str(value)


def history_line(
    model: type[Event],
    *,
    actor: User | None,
    action: str,
    subject: str = "",
    old: object = None,
    new: object = None,
    **row: Any,
) -> Event:
    """One unsaved line; `row` names what the line belongs to (campaign=..., unit=...) and any
    field of the model's own. A history without values (ApiClientEvent) is given none."""
    values: dict[str, Any] = {"actor": actor, "action": action, **row}
    if subject:
        values["subject"] = subject
    if old is not None and old != "":
        values["old_value"] = shown(old)
    if new is not None and new != "":
        values["new_value"] = shown(new)
    return model(**values)


def history_record(model: type[Event], **line: Any) -> Event:
    """Write one line (in the caller's transaction) and return it."""
    event = history_line(model, **line)
    event.save()
    return event

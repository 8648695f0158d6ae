"""Parts of a page that a higher app adds to a lower app's page (the awards on a unit's page come
from votes, above units). The project's settings list each page's panel functions by dotted path
(e.g. `UNIT_PAGE_PANELS`); the lower app's view asks for them and its template includes each."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Panel:
    """A template to include and its context (the template reads `panel.<name>`)."""

    template: str
    context: dict[str, Any]


def page_panels(setting: str, request: HttpRequest, subject: object) -> list[Panel]:
    """The panels the setting's functions give for `subject`; a function returns None to add
    nothing (the user may not read it)."""
    panels = []
    for path in getattr(settings, setting, ()):
        panel = import_string(path)(request, subject)
        if panel is not None:
            panels.append(panel)
    return panels

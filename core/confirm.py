"""Asking before an irreversible step. The dialog (`data-confirm`, static/js/portal.js) posts the
form with `confirmed=1`; without JavaScript the view answers with a confirmation page
(templates/includes/confirm_page.html) that posts the same form again with it. The server never
trusts that a dialog was shown: a post without `confirmed=1` is a question, not an action."""

from django.http import HttpRequest

CONFIRMED = "confirmed"


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRMED) == "1"


def posted_fields(request: HttpRequest, *, leave_out: tuple[str, ...] = ()) -> dict[str, str]:
    """The posted form to send again from the confirmation page (not the token, not the answer)."""
    skipped = {"csrfmiddlewaretoken", CONFIRMED, *leave_out}
    return {name: value for name, value in request.POST.items() if name not in skipped}

"""How a form page answers a refused form: shown again, with its errors and a 4xx status.

A refused form is not a success, so it does not answer 200: 422 (Unprocessable Content) when the
request was read and its content refused (the form comes back with its errors beside the fields
and in the summary at its top), 400 when the request itself was malformed. Browsers show a 422
page as they show a 200 one; htmx 2 swaps no 4xx by default, so static/js/forms.js tells it to
swap 422.
"""

from typing import Any

from django.http import HttpResponse

INVALID_FORM_STATUS = 422
MALFORMED_REQUEST_STATUS = 400


class InvalidFormStatusMixin:
    """For a FormView (or any view with `form_invalid`): the refused form answers 422."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = INVALID_FORM_STATUS
        return response

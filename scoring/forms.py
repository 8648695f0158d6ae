"""Forms for the scoring pages: each validates input for one scoring service."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RunCancelForm(forms.Form):
    """The reason a run is stopped; the service refuses a blank one."""

    reason = forms.CharField(label=_("Lý do hủy"), max_length=500, required=False)

"""Forms of the self-assessment and review pages."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core.forms import IdChoiceField
from units.models import Block, Unit


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại (bắt buộc khi trả lại)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class AssignmentForm(forms.Form):
    reviewer = IdChoiceField(label=_("Người thẩm định"), queryset=User.objects.none())
    block = IdChoiceField(label=_("Khối thi đua"), queryset=Block.objects.none(), required=False)
    unit = IdChoiceField(label=_("Hoặc một đơn vị"), queryset=Unit.objects.none(), required=False)
    stage = forms.TypedChoiceField(label=_("Vòng thẩm định"), coerce=int, choices=[(1, "1")])

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["reviewer"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            council_seats__campaign=campaign
        ).order_by("username")
        fields["block"].queryset = Block.objects.filter(  # type: ignore[attr-defined]
            enrolments__campaign=campaign
        ).distinct()
        fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            enrolments__campaign=campaign
        ).order_by("name")
        fields["stage"].choices = [  # type: ignore[attr-defined]
            (n, str(n)) for n in range(1, campaign.review_stages + 1)
        ]

from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from .models import Campaign, Checklist


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


class CampaignForm(forms.ModelForm):
    template = forms.ModelChoiceField(
        label=_("Bộ tiêu chí mẫu"),
        queryset=Checklist.objects.filter(is_template=True),
        required=False,
        help_text=_("Sao chép tiêu chí từ một bộ mẫu; có thể sửa trước khi phát động."),
    )

    class Meta:
        model = Campaign
        fields = [
            "code",
            "title",
            "description",
            "authority",
            "starts_on",
            "ends_on",
            "window_opens_on",
            "window_closes_on",
            "exemplary_per_block",
            "review_stages",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "window_opens_on": DateInput(),
            "window_closes_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, authorities: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if authorities is not None:
            self.fields["authority"].queryset = authorities  # type: ignore[attr-defined]
        else:
            self.fields["authority"].queryset = Unit.objects.select_related("kind")  # type: ignore[attr-defined]

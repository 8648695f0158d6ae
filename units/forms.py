from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .uploads import check_upload


class UnitsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) có trang tính “units”"),
        help_text=_("Các cột: code, name, kind, parent_code (valid_from, valid_to nếu có)."),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload, {"xlsx": "xlsx"})
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return upload

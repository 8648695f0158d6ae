"""The campaign workbook upload form. It validates the file; `exchange` decides and writes."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import IdChoiceField
from core.uploads import check_upload
from units.models import Unit

XLSX_ONLY = {"xlsx": "xlsx"}


class CampaignImportForm(forms.Form):
    workbook = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_(
            "Theo mẫu: các trang campaign, units, blocks, criteria, self_scores, "
            "review_scores, council; dòng 1 là tên cột."
        ),
    )
    authority = IdChoiceField(
        label=_("Cơ quan phát động"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_(
            "Để trống: giữ cơ quan phát động hiện có của phong trào, hoặc lấy đơn vị "
            "cấp trên của các đơn vị trong trang units."
        ),
    )

    def __init__(self, *args: Any, authorities: QuerySet[Unit] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        authority = self.fields["authority"]
        authority.queryset = (  # type: ignore[attr-defined]
            authorities if authorities is not None else Unit.objects.select_related("kind")
        )

    def clean_workbook(self) -> UploadedFile:
        """Refuse, before reading it, a file that is too large or is not an .xlsx by content."""
        upload = self.cleaned_data["workbook"]
        check_upload(upload, XLSX_ONLY)
        return upload

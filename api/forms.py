from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiClient


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label=_("Tên hệ thống"),
        max_length=ApiClient._meta.get_field("name").max_length,
        help_text=_("Hệ thống nào sẽ đọc dữ liệu, ví dụ: Cơ sở dữ liệu thi đua của tỉnh."),
    )

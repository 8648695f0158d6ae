import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.text import fold

from .models import Campaign, CampaignStatus


class CampaignFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên hoặc mã"), method="search")
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=CampaignStatus.choices)

    class Meta:
        model = Campaign
        fields = ["q", "status"]

    def search(self, queryset: QuerySet[Campaign], name: str, value: str) -> QuerySet[Campaign]:
        return queryset.filter(
            Q(title__icontains=value.strip())
            | Q(code__icontains=value.strip())
            | Q(authority__search_name__contains=fold(value))
        )

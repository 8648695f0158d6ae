"""The portal's roles. Each is a Django group; the units a user acts for come from Membership."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The four roles of docs/domain.md; each value is the name of its Django group."""

    CAMPAIGN_MANAGER = "campaign_manager", _("Cán bộ phụ trách thi đua")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    UNIT_STAFF = "unit_staff", _("Cán bộ đơn vị")
    COUNCIL_MEMBER = "council_member", _("Thành viên Hội đồng thi đua")


def role_group(role: str) -> Group:
    """The group for `role` (created by a migration; recreated here if a test flushed it)."""
    group, _created = Group.objects.get_or_create(name=role)
    return group

"""View mixins that every layer's pages share."""

from django.contrib.auth.mixins import UserPassesTestMixin

from .roles import Role
from .rules import user_role_names


class ManagerRequiredMixin(UserPassesTestMixin):
    """Campaign managers (and superusers) only; every layer's manager pages use it."""

    def test_func(self) -> bool:
        user = self.request.user  # type: ignore[attr-defined]
        return user.is_superuser or Role.CAMPAIGN_MANAGER in user_role_names(user)

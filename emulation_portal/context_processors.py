from django.http import HttpRequest
from django.urls import reverse

from units.roles import Role
from units.rules import user_role_names

from .guide import page_step


def roles(request: HttpRequest) -> dict[str, object]:
    """The role flags the navigation needs, read once per request from the user's groups."""
    user = getattr(request, "user", None)  # none on an error page for a request refused early
    if user is None or not user.is_authenticated:
        return {"user_roles": frozenset()}
    groups = user_role_names(user)
    return {
        "user_roles": groups,
        "is_manager": Role.CAMPAIGN_MANAGER in groups,
        "is_unit_head": Role.UNIT_HEAD in groups or Role.UNIT_STAFF in groups,
        "is_council": Role.COUNCIL_MEMBER in groups,
    }


def guide(request: HttpRequest) -> dict[str, object]:
    """The address of the guide step that explains the page shown: its "?" link."""
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or user is None or not user.is_authenticated:
        return {}
    step = page_step(match.view_name, roles(request)["user_roles"])  # type: ignore[arg-type]
    if step is None:
        return {}
    return {"guide_step_url": reverse("guide_role", args=[step[0]]) + f"#{step[1]}"}

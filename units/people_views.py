"""The people page ("Người dùng") of a manager: the accounts of their authority's subtree, their
roles per unit, invitations, deactivation; each change through `units.people` with its history
line. Another authority's account answers 403."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from core.confirm import is_confirmed, posted_fields
from core.mixins import INVALID_FORM_STATUS, InvalidFormStatusMixin
from core.panels import page_panels

from . import people
from .filters import PersonFilter
from .forms import PeopleImportForm, PersonEditForm, PersonForm, RoleForm
from .mixins import ManagerRequiredMixin
from .models import Membership, Unit
from .roles import Role
from .rules import authority_root_ids, managed_person_ids
from .selectors import person_history, person_list, unit_subtree


def managed_units(user: User) -> QuerySet[Unit]:
    """The active units a manager may give roles in, for the choices of a form."""
    units = Unit.objects.filter(valid_to__isnull=True)
    roots = authority_root_ids(user)
    if roots is not None:
        units = units.filter(pk__in=unit_subtree(roots).values("pk"))
    return units.select_related("kind").order_by("name")


def add_errors(form: Any, error: ValidationError) -> None:
    """A service's refusal beside its field when it names one, else at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class PersonMixin(ManagerRequiredMixin):
    """The person in the URL, only if the manager may manage their account (else 403)."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def person(self) -> User:
        if not hasattr(self, "_person"):
            person = get_object_or_404(User, pk=self.kwargs["pk"])
            if person.pk not in managed_person_ids(self.request.user, [person.pk]):
                raise PermissionDenied
            self._person = person
        return self._person

    def back(self) -> HttpResponse:
        return redirect("units:person", pk=self.person().pk)


class PersonListView(ManagerRequiredMixin, FilterView):
    template_name = "units/person_list.html"
    filterset_class = PersonFilter
    paginate_by = 100

    def get_queryset(self) -> QuerySet[User]:
        user = self.request.user
        return person_list(authority_root_ids(user), actor=user)  # type: ignore[arg-type]

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        return {
            **super().get_filterset_kwargs(filterset_class),
            "units": managed_units(self.request.user),  # type: ignore[arg-type]
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.copy()
        context["query"].pop("page", None)
        context["council_group"] = Role.COUNCIL_MEMBER.value
        return context


class PersonCreateView(ManagerRequiredMixin, InvalidFormStatusMixin, FormView):
    form_class = PersonForm
    template_name = "units/person_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "units": managed_units(self.request.user)}  # type: ignore[arg-type]

    def form_valid(self, form: PersonForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            person = people.person_create(
                actor=self.request.user,  # type: ignore[arg-type]
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                unit=data["unit"],
                role=data["role"],
                council_member=data["council_member"],
                invite=data["invite"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã tạo tài khoản %s.") % person.username)
        return redirect("units:person", pk=person.pk)


class PersonDetailView(PersonMixin, TemplateView):
    """A person: their account, their roles per unit, what can be done, and their history."""

    template_name = "units/person_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = self.person()
        context["person"] = person
        context["memberships"] = person.memberships.select_related("unit").order_by("unit__name")
        context["is_council"] = person.groups.filter(name=Role.COUNCIL_MEMBER).exists()
        context["events"] = person_history(person)
        # What higher apps add (the awards the person received): settings.PERSON_PAGE_PANELS.
        context["panels"] = page_panels("PERSON_PAGE_PANELS", self.request, person)
        context.setdefault(
            "role_form",
            RoleForm(units=managed_units(self.request.user)),  # type: ignore[arg-type]
        )
        return context


class PersonUpdateView(PersonMixin, InvalidFormStatusMixin, FormView):
    form_class = PersonEditForm
    template_name = "units/person_form.html"

    def get_initial(self) -> dict[str, Any]:
        person = self.person()
        return {
            "full_name": person.first_name,
            "email": person.email,
            "council_member": person.groups.filter(name=Role.COUNCIL_MEMBER).exists(),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "person": self.person()}

    def form_valid(self, form: PersonEditForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            people.person_update(
                actor=self.request.user,  # type: ignore[arg-type]
                person=self.person(),
                full_name=data["full_name"],
                email=data["email"],
                council_member=data["council_member"],
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu tài khoản."))
        return self.back()


class PersonRoleView(PersonMixin, View):
    """Give a role in a unit (or change the role held there); a refusal shows the person's page
    again with the form and why (422)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = RoleForm(request.POST, units=managed_units(request.user))  # type: ignore[arg-type]
        if form.is_valid():
            try:
                people.membership_set(
                    actor=request.user,  # type: ignore[arg-type]
                    user=self.person(),
                    unit=form.cleaned_data["unit"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Đã giao vai trò."))
                return self.back()
        view = PersonDetailView(request=request, kwargs=self.kwargs)
        context = view.get_context_data(role_form=form)
        return render(request, view.template_name, context, status=INVALID_FORM_STATUS)


ACTIONS = {
    "invite": (
        gettext_lazy("Gửi lời mời đặt mật khẩu"),
        gettext_lazy("Một liên kết đặt mật khẩu, dùng được một lần và có hạn, được gửi tới %s."),
    ),
    "deactivate": (
        gettext_lazy("Khóa tài khoản"),
        gettext_lazy(
            "%s không đăng nhập được nữa; tài khoản, vai trò và lịch sử của họ được giữ nguyên."
        ),
    ),
    "reactivate": (
        gettext_lazy("Mở lại tài khoản"),
        gettext_lazy("%s đăng nhập lại được, với các vai trò đã có."),
    ),
}


class PersonActionView(PersonMixin, View):
    """Invite, deactivate or reactivate, after the confirmation (core.confirm)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in ACTIONS:
            raise Http404
        person = self.person()
        title, consequence = ACTIONS[action]
        shown = person.email if action == "invite" else person.get_full_name() or person.username
        if not is_confirmed(request):
            return render(
                request,
                "units/person_confirm.html",
                {
                    "person": person,
                    "title": title,
                    "consequence": consequence % shown,
                    "irreversible": action == "invite",  # the e-mail cannot be taken back
                    "action_url": request.path,
                    "fields": posted_fields(request),
                },
            )
        service = {
            "invite": people.person_invite,
            "deactivate": people.person_deactivate,
            "reactivate": people.person_reactivate,
        }[action]
        try:
            service(actor=request.user, person=person)  # type: ignore[operator]
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return self.refused()
        messages.success(request, _("Đã thực hiện: %s.") % title)
        return self.back()

    def refused(self) -> HttpResponse:
        view = PersonDetailView(request=self.request, kwargs=self.kwargs)
        return render(
            self.request, view.template_name, view.get_context_data(), status=INVALID_FORM_STATUS
        )


class MembershipRemoveView(PersonMixin, View):
    """Take a role in a unit away, after the confirmation."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, membership: int) -> HttpResponse:
        person = self.person()
        role = get_object_or_404(
            Membership.objects.select_related("unit"), pk=membership, user=person
        )
        if not is_confirmed(request):
            return render(
                request,
                "units/person_confirm.html",
                {
                    "person": person,
                    "title": _("Bỏ vai trò"),
                    "consequence": _("%(person)s thôi là %(role)s của %(unit)s.")
                    % {
                        "person": person.get_full_name() or person.username,
                        "role": role.get_role_display().lower(),
                        "unit": role.unit.name,
                    },
                    "action_url": request.path,
                    "fields": posted_fields(request),
                },
            )
        try:
            people.membership_remove(actor=request.user, membership=role)  # type: ignore[arg-type]
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            view = PersonDetailView(request=request, kwargs=self.kwargs)
            return render(
                request, view.template_name, view.get_context_data(), status=INVALID_FORM_STATUS
            )
        messages.success(request, _("Đã bỏ vai trò."))
        return self.back()


class PeopleImportView(ManagerRequiredMixin, InvalidFormStatusMixin, FormView):
    """Create or update accounts from an .xlsx `people` sheet; a bad cell refuses the whole file."""

    form_class = PeopleImportForm
    template_name = "units/people_import.html"

    def form_valid(self, form: PeopleImportForm) -> HttpResponse:
        try:
            summary = people.people_import(
                actor=self.request.user,  # type: ignore[arg-type]
                workbook_file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Đã nhập: %(created)s tài khoản mới (đã gửi lời mời), %(updated)s cập nhật, "
                "%(unchanged)s không đổi; %(roles)s vai trò được giao."
            )
            % {
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "roles": summary.roles,
            },
        )
        return redirect(reverse("units:people"))

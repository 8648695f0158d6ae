"""The manager's campaign pages and the unit's registration. Thin: check, validate, call, render."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django_filters.views import FilterView

from core.confirm import is_confirmed, posted_fields
from core.mixins import INVALID_FORM_STATUS, InvalidFormStatusMixin
from core.uploads import stored_file_response
from units.mixins import ManagerRequiredMixin
from units.rules import user_unit_ids
from units.selectors import unit_subtree

from . import selectors, services
from .filters import CampaignFilter, EnrolmentFilter, RegistrationFilter
from .forms import (
    AttachmentForm,
    CampaignForm,
    CampaignUpdateForm,
    ChecklistSourceForm,
    ConferenceFileForm,
    ConferenceForm,
    CouncilCopyForm,
    CouncilEffectiveForm,
    CouncilRoleForm,
    CouncilSeatForm,
    CriterionForm,
    DecisionForm,
    EnrolUnitsForm,
    RegistrationForm,
    ReopenForm,
)
from .history import history_lines
from .mixins import (
    MANAGE_PERM,
    CampaignMixin,
    ServiceFormMixin,
    refusal,
    refusal_beside,
    refused_form,
)
from .models import (
    Campaign,
    CampaignAttachment,
    CampaignStatus,
    Checklist,
    Conference,
    ConferenceFile,
    CouncilSeat,
    Criterion,
    Enrolment,
    Registration,
)
from .rules import registration_is_open

# Lists and creation ------------------------------------------------------------------------------


class CampaignListView(FilterView):
    filterset_class = CampaignFilter
    template_name = "campaigns/campaign_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Campaign]:
        # The statuses shown and filtered on are today's, without beat (the selector's calendar).
        return selectors.campaigns_for_user_today(self.request.user, timezone.localdate())


class CampaignCreateView(ManagerRequiredMixin, InvalidFormStatusMixin, FormView):
    form_class = CampaignForm
    template_name = "campaigns/campaign_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if not self.request.user.is_superuser:
            units = unit_subtree(user_unit_ids(self.request.user))
            kwargs["authorities"] = units.select_related("kind").order_by("name")
        return kwargs

    def form_valid(self, form: CampaignForm) -> HttpResponse:
        try:
            campaign = services.campaign_create(actor=self.request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, refusal(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Đã tạo phong trào “%s”.") % campaign.title)
        return redirect("campaigns:detail", code=campaign.code)


class ChecklistTemplateListView(ManagerRequiredMixin, ListView):
    template_name = "campaigns/checklist_template_list.html"

    def get_queryset(self) -> QuerySet[Checklist]:
        return Checklist.objects.filter(is_template=True)


# One campaign ----------------------------------------------------------------------------------


TRANSITION_LABELS = {
    "launch": _lazy("Phát động"),
    "open_window": _lazy("Mở tự chấm điểm"),
    "close_window": _lazy("Đóng tự chấm điểm"),
    "start_review": _lazy("Bắt đầu thẩm định"),
    "close": _lazy("Kết thúc phong trào"),
}


def transition_consequence(campaign: Campaign, action: str) -> str:
    """What a step will do, and to whom: the text of its confirmation dialog."""
    units = campaign.enrolments.count()
    if action == "launch":
        return _(
            "Phát động phong trào với %(units)s đơn vị tham gia. Bộ tiêu chí sẽ bị khóa: "
            "không sửa, thêm hay xóa tiêu chí được nữa."
        ) % {"units": units}
    if action == "open_window":
        return _(
            "%(units)s đơn vị tham gia sẽ được tự chấm điểm và nộp minh chứng đến hết ngày %(day)s."
        ) % {"units": units, "day": date_format(campaign.window_closes_on, "SHORT_DATE_FORMAT")}
    if action == "close_window":
        submitted = campaign.enrolments.filter(assessment__submitted_at__isnull=False).count()
        return _(
            "%(units)s đơn vị sẽ không sửa hay nộp bản tự chấm điểm được nữa; %(missing)s đơn vị "
            "chưa nộp. Muốn cho một đơn vị nộp muộn, phải mở lại riêng cho đơn vị đó, có ghi lý do."
        ) % {"units": units, "missing": units - submitted}
    if action == "start_review":
        submitted = campaign.enrolments.filter(assessment__submitted_at__isnull=False).count()
        return _(
            "Hội đồng thi đua khen thưởng (%(members)s thành viên) bắt đầu thẩm định "
            "%(submitted)s bản tự chấm điểm đã nộp."
        ) % {"members": selectors.council_members(campaign).count(), "submitted": submitted}
    return _(
        "Phong trào sẽ kết thúc: không tính điểm lại, không công bố lại được nữa. Kết quả đã "
        "công bố vẫn công khai cho mọi người."
    )


class CampaignDetailView(CampaignMixin, TemplateView):
    template_name = "campaigns/campaign_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        rows = selectors.checklist_rows(campaign.checklist)
        context.update(
            attachments=campaign.attachments.all(),
            conferences=campaign.conferences.all(),
            criteria_count=sum(1 for row in rows if not row.is_section),
            base_maximum=selectors.checklist_base_maximum(rows),
            enrolment_count=campaign.enrolments.count(),
            progress=selectors.registration_progress(campaign),
            attachment_form=AttachmentForm(),
            my_enrolment=selectors.enrolment_for_user(campaign, self.request.user),
            transitions=self.available_transitions() if context["can_manage"] else [],
            registration_open=registration_is_open(campaign),
            results_published=campaign.status in (CampaignStatus.PUBLISHED, CampaignStatus.CLOSED),
        )
        enrolment = context["my_enrolment"]
        if enrolment is not None and "registration_form" not in kwargs:
            registration = getattr(enrolment, "registration", None)
            targets = registration.targets if registration else ""
            context["registration_form"] = RegistrationForm(initial={"targets": targets})
        return context

    def available_transitions(self) -> list[tuple[str, str, str]]:
        """(action, label, what it will do) for each step the campaign may take now."""
        status = self.campaign.status
        available = ["launch"] if status == CampaignStatus.DRAFT else []
        available += [
            action for action, (sources, _new) in services.TRANSITIONS.items() if status in sources
        ]
        return [
            (action, str(TRANSITION_LABELS[action]), transition_consequence(self.campaign, action))
            for action in available
        ]


class CampaignUpdateView(ServiceFormMixin, FormView):
    permission = MANAGE_PERM
    form_class = CampaignUpdateForm
    template_name = "campaigns/campaign_update.html"
    success_message = _("Đã lưu thay đổi.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": Campaign.objects.get(pk=self.campaign.pk)}

    def call_service(self, form: CampaignUpdateForm) -> object:
        return services.campaign_update(
            actor=self.request.user, campaign=self.campaign, **form.cleaned_data
        )


def confirmation_page(
    request: HttpRequest, *, campaign: Campaign, title: str, consequence: str, **extra: Any
) -> HttpResponse:
    """The step that asks before an irreversible action when the dialog did not (no JavaScript):
    the same form again, with `confirmed=1`. The server never trusts that the dialog was shown."""
    context = {
        "campaign": campaign,
        "title": title,
        "consequence": consequence,
        "action_url": request.path,
        "back_url": reverse("campaigns:detail", args=[campaign.code]),
        "can_manage": True,  # only managers take these steps
        "can_see_rankings": True,
        "fields": posted_fields(request),
        **extra,
    }
    return render(request, "campaigns/confirm.html", context)


class CampaignTransitionView(CampaignDetailView):
    """A step of the campaign; a refused one shows the campaign page again with why (422)."""

    permission = MANAGE_PERM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, code: str, action: str) -> HttpResponse:
        if action not in TRANSITION_LABELS:
            raise Http404
        if not is_confirmed(request):
            return confirmation_page(
                request,
                campaign=self.campaign,
                title=str(TRANSITION_LABELS[action]),
                consequence=transition_consequence(self.campaign, action),
            )
        try:
            if action == "launch":
                services.campaign_launch(actor=request.user, campaign=self.campaign)
            else:
                services.campaign_transition(
                    actor=request.user,
                    campaign=self.campaign,
                    action=action,
                    reason=request.POST.get("reason", ""),
                )
        except (ValidationError, PermissionDenied) as error:
            return self.shown_again(refused=refused_form(error))
        messages.success(
            request, _("Phong trào chuyển sang: %s.") % self.campaign.get_status_display()
        )
        return self.back()


class CampaignHistoryView(CampaignMixin, TemplateView):
    template_name = "campaigns/campaign_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["lines"] = history_lines(
            selectors.campaign_history(self.campaign, self.request.user)
        )
        return context


# Attachments ------------------------------------------------------------------------------------


class AttachmentAddView(ServiceFormMixin, FormView):
    permission = MANAGE_PERM
    form_class = AttachmentForm
    template_name = "campaigns/attachment_form.html"
    success_message = _("Đã đính kèm văn bản.")

    def call_service(self, form: AttachmentForm) -> object:
        return services.campaign_attachment_add(
            actor=self.request.user,
            campaign=self.campaign,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
        )


class AttachmentDownloadView(CampaignMixin, View):
    def get(self, request: HttpRequest, code: str, pk: int) -> FileResponse:
        return stored_file_response(
            get_object_or_404(CampaignAttachment, pk=pk, campaign=self.campaign)
        )


# Checklist builder -------------------------------------------------------------------------------


class ChecklistView(CampaignMixin, TemplateView):
    template_name = "campaigns/checklist.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        checklist = self.campaign.checklist
        rows = selectors.checklist_rows(checklist)
        editable = (
            context["can_manage"]
            and checklist is not None
            and not checklist.is_frozen
            and self.campaign.status == CampaignStatus.DRAFT
        )
        context.update(
            checklist=checklist,
            rows=rows,
            editable=editable,
            base_maximum=selectors.checklist_base_maximum(rows),
        )
        if editable:
            context["criterion_form"] = kwargs.get("criterion_form") or CriterionForm(
                checklist=checklist
            )
            context["source_form"] = kwargs.get("source_form") or ChecklistSourceForm(
                sources=selectors.checklist_sources(self.campaign)
            )
        return context


class CriterionSaveView(CampaignMixin, View):
    """Add a criterion (no pk) or change one; a frozen checklist refuses."""

    permission = MANAGE_PERM

    def get(self, request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
        criterion = self.criterion(pk) if pk else None
        form = CriterionForm(instance=criterion, checklist=self.campaign.checklist)
        return self.page(form, criterion)

    def post(self, request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
        checklist = self.campaign.checklist
        criterion = self.criterion(pk) if pk else None
        form = CriterionForm(request.POST, instance=criterion, checklist=checklist)
        if form.is_valid():
            try:
                services.criterion_save(
                    actor=request.user,
                    checklist=checklist,
                    criterion=criterion,
                    **form.cleaned_data,
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, refusal(error))
            else:
                messages.success(request, _("Đã lưu tiêu chí."))
                return self.back("checklist")
        return self.page(form, criterion, status=INVALID_FORM_STATUS)

    def criterion(self, pk: int) -> Criterion:
        return get_object_or_404(Criterion, pk=pk, checklist=self.campaign.checklist)

    def page(
        self, form: CriterionForm, criterion: Criterion | None, status: int = 200
    ) -> HttpResponse:
        context = {
            "campaign": self.campaign,
            "form": form,
            "criterion": criterion,
            "can_manage": True,
        }
        return render(self.request, "campaigns/criterion_form.html", context, status=status)


class CriterionDeleteView(ChecklistView):
    """A criterion's delete button; a refusal shows the checklist again with why (422)."""

    permission = MANAGE_PERM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, code: str, pk: int) -> HttpResponse:
        criterion = get_object_or_404(Criterion, pk=pk, checklist=self.campaign.checklist)
        try:
            services.criterion_delete(actor=request.user, criterion=criterion)
        except (ValidationError, PermissionDenied) as error:
            return self.shown_again(refused=refused_form(error))
        messages.success(request, _("Đã xóa tiêu chí."))
        return self.back("checklist")


class ChecklistActionView(ChecklistView):
    """copy (from a template or another campaign), new_version, save_template; a refusal shows
    the checklist again (422): the copy form with its errors when the page offers it, else why
    in the summary at the top."""

    permission = MANAGE_PERM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, code: str, action: str) -> HttpResponse:
        form = ChecklistSourceForm(request.POST, sources=selectors.checklist_sources(self.campaign))
        try:
            self.act(action, form)
        except (ValidationError, PermissionDenied) as error:
            page = self.get_context_data(source_form=form)
            if action != "copy" or not page["editable"]:
                return self.shown_again(refused=refused_form(error))
            if not form.errors:  # valid, refused by the service
                form.add_error(None, refusal(error))
            return self.render_to_response(page, status=INVALID_FORM_STATUS)
        return self.back("checklist")

    def act(self, action: str, form: ChecklistSourceForm) -> None:
        campaign, user = self.campaign, self.request.user
        if action == "copy":
            if not form.is_valid():
                raise ValidationError(_("Chọn bộ tiêu chí để sao chép."))
            services.checklist_use(
                actor=user, campaign=campaign, source=form.cleaned_data["source"]
            )
            messages.success(self.request, _("Đã sao chép bộ tiêu chí."))
        elif action == "new_version":
            checklist = services.checklist_new_version(actor=user, campaign=campaign)
            messages.success(self.request, _("Đã tạo phiên bản %s.") % checklist.version)
        elif action == "save_template":
            services.checklist_save_as_template(actor=user, campaign=campaign)
            messages.success(self.request, _("Đã lưu thành bộ tiêu chí mẫu."))
        else:
            raise Http404


# Enrolment ---------------------------------------------------------------------------------------


def query_without_page(request: HttpRequest) -> QueryDict:
    """The list's filters, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query


class EnrolmentListView(CampaignMixin, InvalidFormStatusMixin, FormView):
    template_name = "campaigns/enrolments.html"
    form_class = EnrolUnitsForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "candidates": selectors.enrolment_candidates(self.campaign),
            "blocks": selectors.enrolment_blocks(self.campaign),
        }

    paginate_by = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        found = EnrolmentFilter(
            self.request.GET,
            queryset=selectors.enrolment_list(self.campaign),
            campaign=self.campaign,
        )
        page = selectors.page_of(found.qs, self.request.GET.get("page"), self.paginate_by)
        page.object_list = selectors.enrolments_for_user(
            self.campaign, self.request.user, rows=page.object_list
        )
        for enrolment in page.object_list:  # each row's own ids: id_until_12, id_reason_12
            enrolment.reopen_form = ReopenForm(auto_id=f"id_%s_{enrolment.pk}")
        context.update(filter=found, page_obj=page, query=query_without_page(self.request))
        return context

    def unbound_form(self) -> EnrolUnitsForm:
        """The list's own form, as a page shown again after another form's refusal has it."""
        kwargs = {k: v for k, v in self.get_form_kwargs().items() if k not in ("data", "files")}
        return EnrolUnitsForm(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(MANAGE_PERM, self.campaign):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: EnrolUnitsForm) -> HttpResponse:
        data, user, campaign = form.cleaned_data, self.request.user, self.campaign
        try:
            if data["mode"] == "units":
                done = services.campaign_enrol(actor=user, campaign=campaign, units=data["units"])
            elif data["mode"] == "subtree":
                done = services.campaign_enrol_subtree(
                    actor=user, campaign=campaign, root=data["subtree"]
                )
            else:
                done = services.campaign_enrol_block(
                    actor=user, campaign=campaign, block=data["block"]
                )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, refusal(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Đã thêm %d đơn vị.") % len(done))
        return self.back("enrolments")


class EnrolmentRemoveView(EnrolmentListView):
    """A row's remove button; a refusal shows the list again with why (422)."""

    permission = MANAGE_PERM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        enrolment = get_object_or_404(Enrolment, pk=kwargs["pk"], campaign=self.campaign)
        try:
            services.enrolment_remove(actor=request.user, enrolment=enrolment)
        except (ValidationError, PermissionDenied) as error:
            return self.shown_again(form=self.unbound_form(), refused=refused_form(error))
        return self.back("enrolments")


class EnrolmentReopenView(EnrolmentListView):
    """A row's reopen form; a refused one comes back at the top of the list (422)."""

    permission = MANAGE_PERM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        enrolment = get_object_or_404(Enrolment, pk=kwargs["pk"], campaign=self.campaign)
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                services.enrolment_reopen(
                    actor=request.user, enrolment=enrolment, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, refusal(error))
            else:
                messages.success(request, _("Đã mở lại cho %s.") % enrolment.unit.name)
                return self.back("enrolments")
        return self.shown_again(
            form=self.unbound_form(), reopen_refused=form, reopen_enrolment=enrolment
        )


# Conferences -------------------------------------------------------------------------------------


class ConferenceFormView(ServiceFormMixin, FormView):
    permission = MANAGE_PERM
    form_class = ConferenceForm
    template_name = "campaigns/conference_form.html"
    success_message = _("Đã lưu hội nghị.")

    def conference(self) -> Conference | None:
        pk = self.kwargs.get("pk")
        return get_object_or_404(Conference, pk=pk, campaign=self.campaign) if pk else None

    def get_form_kwargs(self) -> dict[str, Any]:
        units = selectors.enrolled_units(self.campaign)
        return {**super().get_form_kwargs(), "units": units, "instance": self.conference()}

    def call_service(self, form: ConferenceForm) -> object:
        conference = services.conference_record(
            actor=self.request.user,
            campaign=self.campaign,
            conference=self.conference(),
            **form.cleaned_data,
        )
        self.kwargs["pk"] = conference.pk
        return conference

    def form_valid(self, form: ConferenceForm) -> HttpResponse:
        response = super().form_valid(form)
        if response.status_code == 302 and "pk" in self.kwargs:
            return redirect("campaigns:conference", code=self.campaign.code, pk=self.kwargs["pk"])
        return response


class ConferenceDetailView(CampaignMixin, TemplateView):
    """The printable page of one conference."""

    template_name = "campaigns/conference_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        conference = get_object_or_404(
            Conference.objects.prefetch_related("attending_units", "files"),
            pk=self.kwargs["pk"],
            campaign=self.campaign,
        )
        context.update(
            conference=conference, file_form=kwargs.get("file_form") or ConferenceFileForm()
        )
        return context


class ConferenceFileAddView(ConferenceDetailView):
    """Upload a file to a conference; a refused one comes back on its page (422)."""

    permission = MANAGE_PERM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, code: str, pk: int) -> HttpResponse:
        conference = get_object_or_404(Conference, pk=pk, campaign=self.campaign)
        form = ConferenceFileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.conference_file_add(
                    actor=request.user,
                    conference=conference,
                    upload=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, refusal(error))
            else:
                messages.success(request, _("Đã tải tệp lên."))
                return redirect("campaigns:conference", code=code, pk=pk)
        return self.shown_again(file_form=form)


class ConferenceFileDownloadView(CampaignMixin, View):
    def get(self, request: HttpRequest, code: str, pk: int) -> FileResponse:
        stored = get_object_or_404(ConferenceFile, pk=pk, conference__campaign=self.campaign)
        return stored_file_response(stored)


# Registrations -----------------------------------------------------------------------------------


class RegistrationListView(CampaignMixin, TemplateView):
    """The completion page: who has registered, who was returned, who has not started."""

    permission = MANAGE_PERM
    template_name = "campaigns/registrations.html"

    paginate_by = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        found = RegistrationFilter(
            self.request.GET,
            queryset=selectors.enrolment_list(self.campaign),
            campaign=self.campaign,
        )
        context.update(
            filter=found,
            page_obj=selectors.page_of(found.qs, self.request.GET.get("page"), self.paginate_by),
            query=query_without_page(self.request),
            progress=selectors.registration_progress(self.campaign),
        )
        return context


class RegistrationSendView(CampaignDetailView):
    """A unit head sends the unit's registration from the campaign page; a refused one comes
    back on that page (422): in its form while the page offers it, else in the summary."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        enrolment = selectors.enrolment_for_user(self.campaign, request.user)
        if enrolment is None:
            raise PermissionDenied
        form = RegistrationForm(request.POST, request.FILES)
        try:
            if not form.is_valid():
                raise ValidationError(list(form.errors.values())[0])  # type: ignore[arg-type]
            services.registration_send(
                actor=request.user,
                enrolment=enrolment,
                targets=form.cleaned_data["targets"],
                upload=form.cleaned_data.get("file"),
            )
        except (ValidationError, PermissionDenied) as error:
            if not offers_registration(self.campaign, enrolment):
                return self.shown_again(refused=refused_form(error))
            if not form.errors:  # valid, refused by the service
                form.add_error(None, refusal(error))
            return self.shown_again(registration_form=form)
        messages.success(request, _("Đã gửi đăng ký thi đua."))
        return self.back()


def offers_registration(campaign: Campaign, enrolment: Enrolment) -> bool:
    """Whether the campaign page offers the unit its registration form
    (templates/campaigns/campaign_detail.html)."""
    registration = getattr(enrolment, "registration", None)
    accepted = registration is not None and registration.status == Registration.Status.ACCEPTED
    return registration_is_open(campaign) and not accepted


class RegistrationDecideView(RegistrationListView):
    """Accept or return a registration from the list; a refusal shows the list again (422)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, code: str, pk: int) -> HttpResponse:
        registration = get_object_or_404(Registration, pk=pk, enrolment__campaign=self.campaign)
        form = DecisionForm(request.POST, auto_id=f"id_%s_{registration.pk}")
        if not form.is_valid():  # the buttons send one or the other: a forged post
            refused = ValidationError(_("Chọn chấp nhận hoặc trả lại."))
            return self.shown_again(refused=refused_form(refused))
        try:
            services.registration_decide(
                actor=request.user, registration=registration, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            refusal_beside(form, error, {"reason_required": "reason"})
            return self.shown_again(refused=form, decision=form, decided=registration.pk)
        messages.success(request, _("Đã xử lý đăng ký của %s.") % registration.enrolment.unit)
        return self.back("registrations")


class RegistrationFileView(CampaignMixin, View):
    """The signed registration file: the unit's own members and the campaign's managers."""

    def get(self, request: HttpRequest, code: str, pk: int) -> FileResponse:
        registration = get_object_or_404(Registration, pk=pk, enrolment__campaign=self.campaign)
        if not request.user.has_perm("campaigns.view_enrolment", registration.enrolment):
            raise PermissionDenied
        if not registration.file:
            raise Http404
        response = FileResponse(registration.file.open("rb"), as_attachment=True)
        response["X-Content-Type-Options"] = "nosniff"
        return response


# Council -----------------------------------------------------------------------------------------

# Where each refusal of the council services shows, by its code: beside the field of that name.
COUNCIL_FIELDS = {"on": "on", "role": "role", "user": "user", "source": "source"}
COPY_ID = "copy_%s"  # the copy form's ids, apart from the seat form's on the same page


class CouncilView(CampaignMixin, TemplateView):
    """Thành viên Hội đồng: the council as it stands, who left it, and (for the manager) the forms
    that seat a person, change a role, remove a seat and copy another campaign's council."""

    template_name = "campaigns/council.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        seats = selectors.council_list(self.campaign)
        refused_seat = kwargs.get("refused_seat")
        for seat in seats:  # each row's own ids: id_role_12, id_on_12
            seat.remove_consequence = council_removal_consequence(seat, None)
            seat.role_form = (
                kwargs["role_form"]
                if refused_seat == seat.pk and "role_form" in kwargs
                else CouncilRoleForm(auto_id=f"id_%s_{seat.pk}", initial={"role": seat.role})
            )
            seat.remove_form = (
                kwargs["remove_form"]
                if refused_seat == seat.pk and "remove_form" in kwargs
                else CouncilEffectiveForm(auto_id=f"id_remove_%s_{seat.pk}")
            )
        sources = selectors.council_sources(self.campaign)
        context.update(
            seats=seats,
            past=selectors.council_past(self.campaign),
            fixed_through=self.campaign.council_fixed_through,
            form=kwargs.get("form") or self.seat_form(),
            copy_form=kwargs.get("copy_form") or CouncilCopyForm(sources=sources, auto_id=COPY_ID),
            has_sources=sources.exists(),
            has_secretary=any(seat.role == CouncilSeat.Role.SECRETARY for seat in seats),
        )
        return context

    def seat_form(self, data: Any = None) -> CouncilSeatForm:
        seated = self.campaign.council_seats.filter(valid_to=None).values("user_id")
        candidates = selectors.council_candidates(self.campaign).exclude(pk__in=seated)
        return CouncilSeatForm(data, candidates=candidates)

    def seat(self) -> CouncilSeat:
        return get_object_or_404(
            CouncilSeat.objects.select_related("user"),
            pk=self.kwargs["pk"],
            campaign=self.campaign,
            valid_to=None,
        )


class CouncilSeatAddView(CouncilView):
    """Seat a person; a refused form comes back under the list with why (422)."""

    permission = MANAGE_PERM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.seat_form(request.POST)
        if form.is_valid():
            try:
                seat = services.council_seat_set(
                    actor=request.user, campaign=self.campaign, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                refusal_beside(form, error, COUNCIL_FIELDS)
            else:
                messages.success(request, _("Đã xếp %s vào Hội đồng.") % seat.name)
                return self.back("council")
        return self.shown_again(form=form)


class CouncilSeatRoleView(CouncilView):
    """Change a seat's role; a refusal comes back in that row (422)."""

    permission = MANAGE_PERM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seat = self.seat()
        form = CouncilRoleForm(request.POST, auto_id=f"id_%s_{seat.pk}")
        if form.is_valid():
            try:
                services.council_seat_set(
                    actor=request.user, campaign=self.campaign, user=seat.user, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                refusal_beside(form, error, COUNCIL_FIELDS)
            else:
                messages.success(request, _("Đã đổi chức danh của %s.") % seat.name)
                return self.back("council")
        return self.shown_again(role_form=form, refused_seat=seat.pk)


class CouncilSeatRemoveView(CouncilView):
    """Remove a seat, after asking; a refusal comes back in that row (422)."""

    permission = MANAGE_PERM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seat = self.seat()
        form = CouncilEffectiveForm(request.POST, auto_id=f"id_remove_%s_{seat.pk}")
        if form.is_valid():
            if not is_confirmed(request):
                return confirmation_page(
                    request,
                    campaign=self.campaign,
                    title=str(_("Bỏ khỏi Hội đồng")),
                    consequence=council_removal_consequence(seat, form.cleaned_data["on"]),
                    back_url=reverse("campaigns:council", args=[self.campaign.code]),
                )
            try:
                services.council_seat_remove(actor=request.user, seat=seat, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                refusal_beside(form, error, COUNCIL_FIELDS)
            else:
                messages.success(request, _("Đã bỏ %s khỏi Hội đồng.") % seat.name)
                return self.back("council")
        return self.shown_again(remove_form=form, refused_seat=seat.pk)


def council_removal_consequence(seat: CouncilSeat, on: Any) -> str:
    """What a removal does, and to whom: the text of its confirmation."""
    if on:
        return _(
            "%(name)s (%(role)s) rời Hội đồng từ ngày %(day)s; các phiên họp trước ngày đó giữ "
            "tên người này."
        ) % {"name": seat.name, "role": seat.get_role_display(), "day": date_format(on)}
    return _(
        "%(name)s (%(role)s) rời Hội đồng: không còn trong thành phần các phiên họp chưa biểu "
        "quyết, không còn thẩm định, biểu quyết trong phong trào này."
    ) % {"name": seat.name, "role": seat.get_role_display()}


class CouncilCopyView(CouncilView):
    """Copy another campaign's council; a refused form comes back with why (422)."""

    permission = MANAGE_PERM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        sources = selectors.council_sources(self.campaign)
        form = CouncilCopyForm(request.POST, sources=sources, auto_id=COPY_ID)
        if form.is_valid():
            try:
                counts = services.council_copy(
                    actor=request.user, campaign=self.campaign, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                refusal_beside(form, error, COUNCIL_FIELDS)
            else:
                messages.success(
                    request,
                    _("Đã sao chép Hội đồng: %(n)s thay đổi.") % {"n": sum(counts.values())},
                )
                return self.back("council")
        return self.shown_again(copy_form=form)

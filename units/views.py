import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django_filters.views import FilterView

from core.documents import attachment, date_line
from core.mixins import INVALID_FORM_STATUS, InvalidFormStatusMixin
from core.models import SignInEvent
from core.panels import page_panels
from core.signin import client_address
from core.throttle import throttle_hit
from core.workbooks import XLSX_CONTENT_TYPE

from .document_templates import required_fields, template_in_force
from .exchange import units_export
from .filters import UnitFilter
from .forms import (
    AuthorityCertificateForm,
    AuthorityProfileForm,
    BlockForm,
    DocumentTemplateForm,
    DocumentTemplateResetForm,
    DocumentWithdrawForm,
    RegisterYearForm,
    UnitsImportForm,
    VerifyForm,
)
from .mixins import ManagerRequiredMixin
from .models import AuthorityEvent, Block, DocumentTemplate, DocumentType, PublishedFile, Unit
from .rules import authority_root_ids
from .selectors import (
    authority_certificate,
    authority_profile,
    block_list,
    managed_authorities,
    published_file,
    register_of,
    sign_in_events_within,
    unit_detail,
    unit_events,
    unit_history,
    unit_list,
    unit_subtree,
)
from .services import (
    authority_certificate_set,
    authority_profile_update,
    block_create,
    block_update,
    document_template_reset,
    document_template_upload,
    issued_document_withdraw,
    units_import,
)


class UnitTreeView(PermissionRequiredMixin, FilterView):
    """The unit hierarchy, in tree order, searchable without diacritics."""

    permission_required = "units.view_unit_tree"
    filterset_class = UnitFilter
    template_name = "units/unit_tree.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Unit]:
        return unit_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.copy()
        context["query"].pop("page", None)
        return context


class UnitDetailView(PermissionRequiredMixin, TemplateView):
    """A unit, its place in the hierarchy and its history: what it came from and went on as."""

    permission_required = "units.view_unit_tree"
    template_name = "units/unit_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            unit = unit_detail(self.kwargs["pk"])
        except Unit.DoesNotExist:
            raise Http404 from None
        context["unit"] = unit
        context["predecessor_links"], context["successor_links"] = unit_history(unit)
        # Who changed the unit: for the managers of its authority only.
        may_manage = self.request.user.has_perm("units.manage_unit", unit)
        context["events"] = unit_events(unit) if may_manage else None
        # What higher apps add (the awards the unit received): settings.UNIT_PAGE_PANELS.
        context["panels"] = page_panels("UNIT_PAGE_PANELS", self.request, unit)
        return context


class UnitExportView(ManagerRequiredMixin, View):
    """The units the tree page shows for the same filters (all of them, unpaginated), as .xlsx,
    within the manager's authority (`units.rules.authority_root_ids`; a superuser gets all)."""

    def get(self, request: HttpRequest) -> FileResponse:
        roots = authority_root_ids(request.user)
        scope = Unit.objects.all()
        if roots is not None:
            scope = scope.filter(pk__in=unit_subtree(roots).values("pk"))
        filterset = UnitFilter(request.GET, queryset=scope)
        units = filterset.qs if filterset.is_valid() else Unit.objects.none()  # as the tree page
        target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        units_export(units, target)
        target.seek(0)
        return FileResponse(
            target, as_attachment=True, filename="don-vi.xlsx", content_type=XLSX_CONTENT_TYPE
        )


class UnitImportView(ManagerRequiredMixin, InvalidFormStatusMixin, FormView):
    """Create or update units from an .xlsx `units` sheet; a bad cell refuses the whole file."""

    form_class = UnitsImportForm
    template_name = "units/unit_import.html"

    def form_valid(self, form: UnitsImportForm) -> HttpResponse:
        try:
            summary = units_import(actor=self.request.user, workbook_file=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Đã nhập: %(created)s đơn vị mới, %(updated)s cập nhật, %(unchanged)s không đổi.")
            % {
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            },
        )
        if summary.kinds_created:
            messages.info(
                self.request,
                _("Đã thêm %(n)s loại đơn vị mới theo tệp.") % {"n": summary.kinds_created},
            )
        return redirect("units:tree")


class BlockListView(ManagerRequiredMixin, TemplateView):
    template_name = "units/block_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["blocks"] = block_list(root_ids=authority_root_ids(self.request.user))
        return context


class BlockFormView(ManagerRequiredMixin, InvalidFormStatusMixin, FormView):
    """Create a block (no pk) or change its name, year, head unit and members."""

    form_class = BlockForm
    template_name = "units/block_form.html"

    def block(self) -> Block | None:
        """The block in the URL, only if it lies within the manager's authority."""
        pk = self.kwargs.get("pk")
        blocks = block_list(root_ids=authority_root_ids(self.request.user))
        return get_object_or_404(blocks, pk=pk) if pk else None

    def get_form_kwargs(self) -> dict[str, Any]:
        roots = authority_root_ids(self.request.user)
        units = Unit.objects.filter(valid_to__isnull=True)
        if roots is not None:
            units = units.filter(pk__in=unit_subtree(roots).values("pk"))
        return {
            **super().get_form_kwargs(),
            "instance": self.block(),
            "units": units.select_related("kind").order_by("name"),
        }

    def form_valid(self, form: BlockForm) -> HttpResponse:
        data, block = form.cleaned_data, self.block()
        try:
            if block is None:
                block_create(
                    actor=self.request.user,
                    code=data["code"],
                    name=data["name"],
                    members=data["members"],
                    head_unit=data["head_unit"],
                    year=data["year"],
                )
            else:
                block_update(
                    actor=self.request.user,
                    block=block,
                    name=data["name"],
                    members=data["members"],
                    head_unit=data["head_unit"],
                    year=data["year"],
                )
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu khối thi đua."))
        return redirect("units:blocks")


class AuthorityListView(ManagerRequiredMixin, TemplateView):
    """Hồ sơ cơ quan: the authorities the manager keeps, each with its profile and register."""

    template_name = "units/authority_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["authorities"] = managed_authorities(authority_root_ids(self.request.user))
        return context


class AuthorityMixin(ManagerRequiredMixin):
    """The authority in the URL, only for one of its managers (403 for another's)."""

    def authority(self) -> Unit:
        unit = get_object_or_404(
            Unit.objects.select_related("kind", "parent"), pk=self.kwargs["pk"]
        )
        if not self.request.user.has_perm("units.manage_unit", unit):  # type: ignore[attr-defined]
            raise PermissionDenied
        return unit


# The profile page holds three forms; the certificate's "file" must not take the template's id.
CERTIFICATE_ID = "id_certificate_%s"


class AuthorityProfileView(AuthorityMixin, InvalidFormStatusMixin, FormView):
    """The authority's letterhead, short name, place and signers, with a preview of the heading
    of a document and the history of changes."""

    form_class = AuthorityProfileForm
    template_name = "units/authority_profile.html"

    def get_initial(self) -> dict[str, Any]:
        return AuthorityProfileForm.initial_from(authority_profile(self.authority()))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit = self.authority()
        profile = authority_profile(unit)
        context.update(
            authority=unit,
            profile=profile,
            sample_number=profile.reference(1, DocumentType.DECISION) if profile else "",
            sample_date=date_line(profile.place_name, timezone.localdate()) if profile else "",
            events=AuthorityEvent.objects.filter(authority=unit).select_related("actor")[:20],
            template_form=kwargs.get("template_form") or DocumentTemplateForm(),
            templates=[
                {
                    "kind": kind,
                    "label": label,
                    "own": template_in_force(unit, kind),
                    "fields": sorted(required_fields(kind)),
                }
                for kind, label in DocumentTemplate.Kind.choices
            ],
            certificate=authority_certificate(unit),
            certificate_form=kwargs.get("certificate_form")
            or AuthorityCertificateForm(auto_id=CERTIFICATE_ID),
        )
        return context

    def form_valid(self, form: AuthorityProfileForm) -> HttpResponse:
        try:
            authority_profile_update(
                actor=self.request.user, authority=self.authority(), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu hồ sơ cơ quan."))
        return redirect("units:authority_profile", pk=self.kwargs["pk"])


class DocumentTemplateView(AuthorityProfileView):
    """POST: the authority's own Word template of a kind of document (upload), or back to the
    built-in one (reset); a refused upload shows the profile page again with the reasons."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        authority = self.authority()
        if "reset" in request.POST:
            reset = DocumentTemplateResetForm(request.POST)
            if reset.is_valid():
                document_template_reset(
                    actor=request.user, authority=authority, kind=reset.cleaned_data["kind"]
                )
                messages.success(request, _("Đã trở lại mẫu có sẵn của cổng."))
            return redirect("units:authority_profile", pk=authority.pk)
        form = DocumentTemplateForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document_template_upload(
                    actor=request.user,
                    authority=authority,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, _("Đã nhận mẫu văn bản của cơ quan."))
                return redirect("units:authority_profile", pk=authority.pk)
        profile_form = AuthorityProfileForm(initial=self.get_initial())
        context = self.get_context_data(form=profile_form, template_form=form)
        return self.render_to_response(context, status=INVALID_FORM_STATUS)


class AuthorityCertificateView(AuthorityProfileView):
    """POST: the authority's PKCS#12 certificate and its password; a refusal changes nothing and
    shows the profile page again with the reason."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unit = self.authority()
        form = AuthorityCertificateForm(request.POST, request.FILES, auto_id=CERTIFICATE_ID)
        if form.is_valid():
            try:
                authority_certificate_set(
                    actor=request.user,
                    authority=unit,
                    pkcs12=form.cleaned_data["file"].read(),
                    password=form.cleaned_data["password"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã lưu chứng thư số của cơ quan."))
                return redirect("units:authority_profile", pk=unit.pk)
        profile_form = AuthorityProfileForm(initial=self.get_initial())
        response = self.render_to_response(
            self.get_context_data(form=profile_form, certificate_form=form)
        )
        response.status_code = INVALID_FORM_STATUS
        return response


class VerifyView(TemplateView):
    """The public page behind an issued document's QR code (no sign-in): its number, date,
    signer and SHA-256, the file itself, and a check of a file someone holds: "khớp" when its
    SHA-256 is the issued file's, "không khớp" otherwise. Uploads are counted per address by the
    portal's one throttle, in the shared cache (core.throttle): across all web processes."""

    template_name = "units/verify.html"
    UPLOADS_PER_WINDOW = 20
    WINDOW_SECONDS = 600

    def published(self) -> PublishedFile:
        found = published_file(self.kwargs["code"])
        if found is None:
            raise Http404(_("Không có văn bản nào mang mã tra cứu này."))
        return found

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        found = self.published()
        if request.GET.get("tai") is not None:
            return attachment(
                bytes(found.content), content_type="application/pdf", filename=found.file_name
            )
        return self.render_to_response(self.get_context_data(found=found, form=VerifyForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        found = self.published()
        hit = throttle_hit(
            scope="verify-uploads",
            ident=client_address(request) or "unknown",
            limit=self.UPLOADS_PER_WINDOW,
            window_seconds=self.WINDOW_SECONDS,
        )
        if not hit.allowed:
            response = self.render_to_response(
                self.get_context_data(found=found, form=VerifyForm(), too_many=True)
            )
            response.status_code = 429
            response["Retry-After"] = str(hit.retry_after)
            return response
        form = VerifyForm(request.POST, request.FILES)
        if not form.is_valid():
            response = self.render_to_response(self.get_context_data(found=found, form=form))
            response.status_code = INVALID_FORM_STATUS
            return response
        return self.render_to_response(
            self.get_context_data(
                found=found,
                form=VerifyForm(),
                checked=form.cleaned_data["file"].name,
                checked_sha256=form.sha256,
                matches=form.sha256 == found.sha256,
            )
        )


class DocumentRegisterView(AuthorityMixin, TemplateView):
    """Sổ đăng ký văn bản: every number the authority gave, by year and type, withdrawn ones
    kept and marked; a year picked in the filter narrows the list."""

    template_name = "units/document_register.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit = self.authority()
        filter_form = RegisterYearForm(self.request.GET or None)
        year = filter_form.cleaned_data["year"] if filter_form.is_valid() else None
        context.update(
            authority=unit,
            profile=authority_profile(unit),
            filter_form=filter_form,
            documents=register_of(unit, year=year),
            withdraw_form=kwargs.get("withdraw_form"),
            withdrawn=kwargs.get("withdrawn"),
        )
        return context


class DocumentWithdrawView(DocumentRegisterView):
    """POST: marks a document of the register withdrawn, with a reason; its number stays taken."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, document: int) -> HttpResponse:
        found = get_object_or_404(register_of(self.authority()), pk=document)
        form = DocumentWithdrawForm(request.POST, auto_id=f"id_%s_{found.pk}")  # one box a row
        if form.is_valid():
            try:
                issued_document_withdraw(
                    actor=request.user,
                    document=found,
                    on=timezone.localdate(),
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error("reason" if getattr(error, "code", "") == "reason" else None, error)
            else:
                messages.success(
                    request, _("Đã ghi thu hồi văn bản %(ref)s.") % {"ref": found.reference}
                )
                return redirect("units:register", pk=pk)
        if found.withdrawn_on is not None:  # its row draws no reason box: all in the summary
            said = [message for errors in form.errors.values() for message in errors]
            form.errors.clear()
            form.add_error(None, ValidationError(said))
        response = self.render_to_response(
            self.get_context_data(withdraw_form=form, withdrawn=found.pk)
        )
        response.status_code = INVALID_FORM_STATUS
        return response


class SignInEventListView(ManagerRequiredMixin, ListView):  # type: ignore[type-arg]
    """The sign-ins, refusals and lockouts of the people of the manager's authority."""

    template_name = "units/sign_in_events.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[SignInEvent]:
        return sign_in_events_within(authority_root_ids(self.request.user))

"""Self-assessment (unit heads and staff), review (council), progress and notifications."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from campaigns.mixins import MANAGE_PERM, CampaignMixin, refusal
from campaigns.selectors import checklist_base_maximum, page_of
from core.confirm import is_confirmed, posted_fields
from core.mixins import INVALID_FORM_STATUS
from core.uploads import stored_file_response

from . import rules, selectors, services
from .filters import ProgressFilter
from .forms import AssignmentForm, ReviewForm, ScoreSheetForm
from .models import Assessment, AssessmentStatus, Evidence, ReviewAssignment


def load_assessment(enrolment_id: int) -> Assessment:
    """The enrolment's assessment; an unsaved empty one until the unit first saves."""
    enrolment = selectors.enrolment_for_page(enrolment_id)
    if enrolment is None:
        raise Http404
    assessment = Assessment.objects.filter(enrolment=enrolment).first()
    if assessment is None:
        return Assessment(enrolment=enrolment)
    assessment.enrolment = enrolment
    return assessment


# Asking before an irreversible step --------------------------------------------------------------


def confirmation_page(
    request: HttpRequest,
    *,
    assessment: Assessment,
    title: str,
    consequence: str,
    fields: dict[str, object],
    ok_label: str | None = None,
    back_url: str | None = None,
    back_label: str | None = None,
    reason: str = "",
) -> HttpResponse:
    """The question the dialog asks, as a page, for a browser without JavaScript: the same form
    again with `confirmed=1`. The server never trusts that a dialog was shown."""
    enrolment = assessment.enrolment
    context = {
        "assessment": assessment,
        "enrolment": enrolment,
        "campaign": enrolment.campaign,
        "title": title,
        "consequence": consequence,
        "reason": reason,
        "action": fields.get("action", ""),
        "fields": {name: value for name, value in fields.items() if name != "action"},
        "ok_label": ok_label or title,
        "back_url": back_url,
        "back_label": back_label or _("Quay lại"),
    }
    return render(request, "assessments/confirm.html", context)


def submit_consequence(assessment: Assessment) -> str:
    enrolment = assessment.enrolment
    return _(
        "Bản tự chấm điểm của %(unit)s sẽ được gửi tới Hội đồng thi đua khen thưởng của phong "
        "trào “%(campaign)s” để thẩm định. Sau khi nộp, đơn vị không sửa được nữa, trừ khi Hội "
        "đồng trả lại."
    ) % {"unit": enrolment.unit.name, "campaign": enrolment.campaign.title}


def review_consequences(assessment: Assessment) -> dict[str, str]:
    """What return, accept and an accept with every box blank will do, and to whom."""
    unit = {"unit": assessment.enrolment.unit.name}
    return {
        "return": _(
            "Bản tự chấm điểm được trả lại cho %(unit)s cùng lý do đã ghi; đơn vị sửa và nộp "
            "lại. Điểm thẩm định đã nhập được lưu."
        )
        % unit,
        "accept": _(
            "Chấp nhận bản tự chấm điểm của %(unit)s với điểm thẩm định đã nhập; tiêu chí để "
            "trống giữ điểm đơn vị tự chấm. Đơn vị không sửa được nữa, và việc thẩm định bản "
            "này kết thúc."
        )
        % unit,
        "keep": _(
            "Chưa có điểm thẩm định nào cho %(unit)s. Nếu chấp nhận, điểm đơn vị tự chấm được "
            "giữ nguyên cho mọi tiêu chí; đơn vị không sửa được nữa, và việc thẩm định bản này "
            "kết thúc."
        )
        % unit,
    }


def missing_by_row(missing: list[services.Missing]) -> dict[int, list[str]]:
    """{criterion id: what it lacks} for a refused submit, shown in each row."""
    reasons: dict[int, list[str]] = {}
    for item in missing:
        reasons.setdefault(item.criterion.pk, []).append(item.reason)
    return reasons


class MyAssessmentsView(TemplateView):
    template_name = "assessments/my_assessments.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.my_assessments_today(self.request.user, timezone.localdate())
        return context


AUTOSAVE_HEADER = "X-Autosave"


class AssessmentView(View):
    """The checklist form: save a draft, attach or remove evidence, submit.

    The page's script saves the draft as the unit types through the same POST (no file, no
    submit), marked by the X-Autosave header: the answer is then JSON, the new version with the
    time it was saved, or the refusal (409 when someone else saved first, 422 for a bad score)."""

    template_name = "assessments/assessment.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.assessment = load_assessment(kwargs["enrolment_id"])
        if not request.user.has_perm("assessments.view_assessment", self.assessment):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, enrolment_id: int) -> HttpResponse:
        return self.page(fresh=True)

    def sheet(
        self, rows: list[selectors.AssessmentRow], data: QueryDict | None = None
    ) -> ScoreSheetForm:
        saved = {row.criterion.pk: (row.self_score, row.note) for row in rows}
        return ScoreSheetForm(
            data, rows=rows, campaign=self.assessment.enrolment.campaign, saved=saved
        )

    def post(self, request: HttpRequest, enrolment_id: int) -> HttpResponse:
        if not request.user.has_perm("assessments.edit_assessment", self.assessment):
            raise PermissionDenied
        # The posted form carries the entries; the service reads the saved ones it compares.
        rows = selectors.assessment_rows(self.assessment, with_entries=False)
        form = self.sheet(rows, request.POST)
        try:
            version = int(request.POST.get("version", "-1"))
        except ValueError:
            version = -1
        if request.headers.get(AUTOSAVE_HEADER):
            return self.autosave(form, version)
        if not form.is_valid():
            return self.page(posted=request.POST, status=INVALID_FORM_STATUS)
        try:
            self.save(form, rows, version)
            if request.POST.get("action") == "submit":
                return self.submit()
        except services.ConcurrentEditError as error:
            return self.page(posted=request.POST, changes=error.changes, error=error, status=409)
        except services.IncompleteAssessmentError as error:
            return self.page(missing=error.missing, status=INVALID_FORM_STATUS)
        except (ValidationError, PermissionDenied) as error:
            status = 403 if isinstance(error, PermissionDenied) else INVALID_FORM_STATUS
            return self.page(posted=request.POST, error=error, status=status)
        messages.success(self.request, _("Đã lưu bản nháp."))
        return redirect("assessments:assessment", enrolment_id=enrolment_id)

    def autosave(self, form: ScoreSheetForm, version: int) -> JsonResponse:
        """The draft's scores and notes only, as "Lưu nháp" saves them (the same service and
        version guard); files and the submit wait for the buttons."""
        if not form.is_valid():
            return JsonResponse(
                {"error": _("Chưa lưu: có ô chưa hợp lệ, xem thông báo bên cạnh ô.")},
                status=INVALID_FORM_STATUS,
            )
        try:
            with transaction.atomic():
                if self.assessment.pk is None:
                    self.assessment = services.assessment_for(self.assessment.enrolment)
                services.assessment_save_draft(
                    actor=self.request.user,
                    assessment=self.assessment,
                    version=version,
                    entries=form.entries(),
                )
        except services.ConcurrentEditError:
            message = _(
                "Người khác vừa lưu bản này nên tự động lưu đã dừng; bấm “Lưu nháp” để xem các "
                "thay đổi của họ."
            )
            return JsonResponse({"error": message}, status=409)
        except (ValidationError, PermissionDenied) as error:
            status = 403 if isinstance(error, PermissionDenied) else INVALID_FORM_STATUS
            return JsonResponse({"error": refusal(error)}, status=status)
        at = timezone.localtime().strftime("%H:%M")
        return JsonResponse(
            {
                "version": self.assessment.version,
                "message": _("Đã lưu lúc %(time)s") % {"time": at},
            }
        )

    def save(self, form: ScoreSheetForm, rows: list[selectors.AssessmentRow], version: int) -> None:
        """Scores and files in one transaction. The submit comes after, so a refused submit
        keeps the draft that was just saved."""
        user, post = self.request.user, self.request.POST
        with transaction.atomic():
            if self.assessment.pk is None:
                # The form of a new assessment carries version 1: if someone else created and
                # saved it meanwhile, the version guard refuses this save like any other.
                self.assessment = services.assessment_for(self.assessment.enrolment)
            services.assessment_save_draft(
                actor=user, assessment=self.assessment, version=version, entries=form.entries()
            )
            for row in rows:
                upload = self.request.FILES.get(f"evidence_{row.criterion.pk}")
                if upload is not None:
                    services.evidence_add(
                        actor=user,
                        assessment=self.assessment,
                        criterion_id=row.criterion.pk,
                        upload=upload,
                    )
            remove = post.get("remove_evidence")
            if remove:
                evidence = get_object_or_404(Evidence, pk=remove, item__assessment=self.assessment)
                services.evidence_remove(actor=user, evidence=evidence)

    def submit(self) -> HttpResponse:
        """Submit once confirmed. A submit that would go through asks first (the dialog, or this
        page without JavaScript); one that would be refused is refused at once, with the reason."""
        user, assessment = self.request.user, self.assessment
        # Once confirmed, the service alone checks (and says what stops it).
        ask = not is_confirmed(self.request) and (
            user.has_perm("assessments.submit_assessment", assessment)
            and not services.assessment_missing(assessment)
        )
        if ask:
            messages.success(self.request, _("Đã lưu bản nháp."))
            return confirmation_page(
                self.request,
                assessment=assessment,
                title=_("Nộp bản tự chấm điểm"),
                consequence=submit_consequence(assessment),
                fields={"version": assessment.version, "action": "submit"},
                back_url=self.request.path,
            )
        services.assessment_submit(actor=user, assessment=assessment, version=assessment.version)
        messages.success(self.request, _("Đã nộp bản tự chấm điểm."))
        return redirect("assessments:assessment", enrolment_id=assessment.enrolment_id)

    def page(
        self,
        *,
        posted: QueryDict | None = None,
        changes: list | None = None,  # type: ignore[type-arg]
        error: Exception | None = None,
        missing: list | None = None,  # type: ignore[type-arg]
        status: int = 200,
        fresh: bool = False,
    ) -> HttpResponse:
        # After a POST, read again: a refused save rolled back, a concurrent one moved the
        # version. A GET shows the assessment dispatch() has just read.
        if not fresh:
            self.assessment = load_assessment(self.assessment.enrolment_id)
        assessment = self.assessment
        user = self.request.user
        rows = selectors.assessment_rows(assessment)
        form = self.sheet(rows, posted)
        if posted is not None:
            form.is_valid()  # what was typed stays, each mistake beside its box
        if isinstance(error, ValidationError | PermissionDenied):
            form.add_error(None, refusal(error))
        context = {
            "base_maximum": checklist_base_maximum(rows),
            "assessment": assessment,
            "enrolment": assessment.enrolment,
            "campaign": assessment.enrolment.campaign,
            "rows": rows,
            "form": form,
            "editable": user.has_perm("assessments.write_assessment", assessment),
            "can_submit": user.has_perm("assessments.submit_assessment", assessment),
            "submit_consequence": submit_consequence(assessment),
            "changes": changes,
            "missing": missing,
            "missing_reasons": missing_by_row(missing or []),
            "events": assessment.events.select_related("actor", "criterion")[:200]
            if assessment.pk
            else [],
        }
        return render(self.request, self.template_name, context, status=status)


class EvidenceDownloadView(View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        evidence = get_object_or_404(
            Evidence.objects.select_related("item__assessment__enrolment__campaign"), pk=pk
        )
        if not request.user.has_perm("assessments.view_assessment", evidence.item.assessment):
            raise PermissionDenied
        return stored_file_response(evidence)


# Review ------------------------------------------------------------------------------------------


class ReviewQueueView(TemplateView):
    template_name = "assessments/review_queue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["assessments"] = selectors.review_queue(self.request.user)
        return context


class ReviewView(View):
    """Self score, note and evidence beside the reviewer's score and comment; return or accept."""

    template_name = "assessments/review.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assessment = (
            Assessment.objects.select_related(
                "enrolment__campaign", "enrolment__unit", "enrolment__block"
            )
            .filter(pk=kwargs["pk"])
            .first()
        )
        if assessment is None:
            raise Http404
        if not request.user.has_perm("assessments.review_assessment", assessment):
            raise PermissionDenied
        self.assessment = assessment
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(self.sheet())

    def sheet(self, data: QueryDict | None = None, action: str = "save") -> ReviewForm:
        self.rows = selectors.assessment_rows(self.assessment, with_reviews=True)
        self.mine = {
            r.criterion_id: r
            for row in self.rows
            for r in row.reviews
            if r.reviewer_id == self.request.user.pk and r.stage == self.assessment.review_stage
        }
        saved = {pk: (review.score, review.comment) for pk, review in self.mine.items()}
        return ReviewForm(
            data,
            action=action,
            rows=self.rows,
            campaign=self.assessment.enrolment.campaign,
            saved=saved,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user, assessment = request.user, self.assessment
        action = request.POST.get("action", "save")
        form = self.sheet(request.POST, action)
        refused = rules.review_refusal(assessment)
        if refused is not None and action != "edit":  # before any question: the answer is no
            form.is_valid()
            form.add_error(None, refused[0])
            return self.page(form, status=INVALID_FORM_STATUS)
        if not form.is_valid() or action == "edit":
            return self.page(form, status=200 if action == "edit" else INVALID_FORM_STATUS)
        # Nothing typed and nothing saved at this stage: accepting keeps every self score.
        blank = action == "accept" and not (form.has_scores() or self.mine)
        if action in ("return", "accept") and assessment.status == AssessmentStatus.SUBMITTED:
            kept = not blank or request.POST.get("keep_self_scores") == "1"
            if not (is_confirmed(request) and kept):
                return self.confirmation(action, blank=blank)
        try:
            with transaction.atomic():
                services.review_save(actor=user, assessment=assessment, entries=form.entries())
                if action == "return":
                    services.assessment_return(
                        actor=user, assessment=assessment, reason=form.cleaned_data["reason"]
                    )
                elif action == "accept":
                    services.assessment_accept(actor=user, assessment=assessment)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, refusal(error))
            return self.page(form, status=INVALID_FORM_STATUS)
        messages.success(
            request,
            {
                "return": _("Đã trả lại bản tự chấm điểm."),
                "accept": _("Đã chấp nhận bản tự chấm điểm."),
            }.get(action, _("Đã lưu điểm thẩm định.")),
        )
        if action in ("return", "accept"):
            return redirect("assessments:review_queue")
        return redirect("assessments:review", pk=pk)

    def confirmation(self, action: str, *, blank: bool) -> HttpResponse:
        """Return and accept ask first; an accept with no review score asks whether the unit's
        own scores stand, and answering yes is the `keep_self_scores` field."""
        fields = posted_fields(self.request, leave_out=("keep_self_scores",))
        consequences = review_consequences(self.assessment)
        if blank:
            return confirmation_page(
                self.request,
                assessment=self.assessment,
                title=_("Giữ điểm tự chấm?"),
                consequence=consequences["keep"],
                ok_label=_("Giữ điểm tự chấm và chấp nhận"),
                fields={**fields, "keep_self_scores": "1"},
                back_label=_("Quay lại nhập điểm thẩm định"),
            )
        title = _("Trả lại để bổ sung") if action == "return" else _("Chấp nhận")
        return confirmation_page(
            self.request,
            assessment=self.assessment,
            title=title,
            consequence=consequences[action],
            reason=fields.get("reason", "") if action == "return" else "",
            fields=fields,
        )

    def page(self, form: ReviewForm, status: int = 200) -> HttpResponse:
        resubmission = selectors.resubmission(self.assessment, self.rows)
        context = {
            "assessment": self.assessment,
            "enrolment": self.assessment.enrolment,
            "campaign": self.assessment.enrolment.campaign,
            "rows": self.rows,
            "mine": self.mine,
            "form": form,
            "consequences": review_consequences(self.assessment),
            "refused": rules.review_refusal(self.assessment),
            "resubmission": resubmission,
            "changed": {c.criterion.pk for c in resubmission.changes} if resubmission else set(),
        }
        return render(self.request, self.template_name, context, status=status)


# Manager pages ---------------------------------------------------------------------------------


class ProgressView(CampaignMixin, TemplateView):
    permission = MANAGE_PERM
    template_name = "assessments/progress.html"

    paginate_by = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = selectors.assessment_progress(self.campaign)
        summary, late = selectors.progress_summary(rows)
        found = ProgressFilter(self.request.GET, queryset=rows, campaign=self.campaign)
        page = page_of(found.qs, self.request.GET.get("page"), self.paginate_by)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=found,
            page_obj=page,
            query=query,
            labels=selectors.PROGRESS_LABELS,
            summary=summary,
            late=late,
        )
        return context


class ReviewAssignmentView(CampaignMixin, TemplateView):
    permission = MANAGE_PERM
    template_name = "assessments/assignments.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or AssignmentForm(campaign=self.campaign)
        context["review_ended"] = self.campaign.status in rules.REVIEW_ENDED  # no form offered
        context["assignments"] = (
            ReviewAssignment.objects.filter(campaign=self.campaign)
            .select_related("reviewer", "unit", "block")
            .order_by("stage", "reviewer__username")
        )
        return context

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        form = AssignmentForm(request.POST, campaign=self.campaign)
        if form.is_valid():
            try:
                services.review_assign(
                    actor=request.user, campaign=self.campaign, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, refusal(error))
            else:
                messages.success(request, _("Đã phân công thẩm định."))
                return redirect("assessments:assignments", code=code)
        return self.render_to_response(self.get_context_data(form=form), status=INVALID_FORM_STATUS)

"""Self-assessment (unit heads and staff), review (council), progress and notifications."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from campaigns.mixins import MANAGE_PERM, CampaignMixin, refusal
from campaigns.selectors import checklist_base_maximum
from core.uploads import stored_file_response

from . import rules, selectors, services
from .filters import ProgressFilter
from .forms import AssignmentForm, ReturnForm
from .models import Assessment, Evidence, ReviewAssignment


def entries_from(
    post: QueryDict, rows: list[selectors.AssessmentRow], note_field: str = "note"
) -> dict[object, tuple[object, str]]:
    """{criterion id: (score, note)} for every scorable row present in the POST."""
    entries: dict[object, tuple[object, str]] = {}
    for row in rows:
        key = f"score_{row.criterion.pk}"
        if not row.is_section and key in post:
            entries[row.criterion.pk] = (
                post[key],
                post.get(f"{note_field}_{row.criterion.pk}", ""),
            )
    return entries


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


class MyAssessmentsView(TemplateView):
    template_name = "assessments/my_assessments.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        enrolments = list(selectors.my_enrolments(self.request.user))
        context["rows"] = [
            (e, getattr(e, "assessment", None), rules.window_is_open(e)) for e in enrolments
        ]
        return context


class AssessmentView(View):
    """The checklist form: save a draft, attach or remove evidence, submit."""

    template_name = "assessments/assessment.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.assessment = load_assessment(kwargs["enrolment_id"])
        if not request.user.has_perm("assessments.view_assessment", self.assessment):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, enrolment_id: int) -> HttpResponse:
        return self.page()

    def post(self, request: HttpRequest, enrolment_id: int) -> HttpResponse:
        if not request.user.has_perm("assessments.edit_assessment", self.assessment):
            raise PermissionDenied
        rows = selectors.assessment_rows(self.assessment)
        try:
            version = int(request.POST.get("version", "-1"))
        except ValueError:
            version = -1
        try:
            self.save(rows, version)
        except services.ConcurrentEditError as error:
            return self.page(posted=request.POST, changes=error.changes, error=error, status=409)
        except services.IncompleteAssessmentError as error:
            return self.page(missing=error.missing, status=400)
        except (ValidationError, PermissionDenied) as error:
            return self.page(posted=request.POST, error=error, status=400)
        return redirect("assessments:assessment", enrolment_id=enrolment_id)

    def save(self, rows: list[selectors.AssessmentRow], version: int) -> None:
        """Scores and files in one transaction; then the submit, so a refused submit keeps the
        draft that was just saved."""
        user, post = self.request.user, self.request.POST
        with transaction.atomic():
            if self.assessment.pk is None:
                # The form of a new assessment carries version 1: if someone else created and
                # saved it meanwhile, the version guard refuses this save like any other.
                self.assessment = services.assessment_for(self.assessment.enrolment)
            services.assessment_save_draft(
                actor=user,
                assessment=self.assessment,
                version=version,
                entries=entries_from(post, rows),
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
        if post.get("action") == "submit":
            services.assessment_submit(
                actor=user, assessment=self.assessment, version=self.assessment.version
            )
            messages.success(self.request, _("Đã nộp bản tự chấm điểm."))
        else:
            messages.success(self.request, _("Đã lưu bản nháp."))

    def page(
        self,
        *,
        posted: QueryDict | None = None,
        changes: list | None = None,  # type: ignore[type-arg]
        error: Exception | None = None,
        missing: list | None = None,  # type: ignore[type-arg]
        status: int = 200,
    ) -> HttpResponse:
        # Read again: a refused save rolled back, and a concurrent one moved the version.
        assessment = self.assessment = load_assessment(self.assessment.enrolment_id)
        user = self.request.user
        editable = user.has_perm("assessments.write_assessment", assessment)
        rows = selectors.assessment_rows(assessment)
        context = {
            "base_maximum": checklist_base_maximum(rows),
            "assessment": assessment,
            "enrolment": assessment.enrolment,
            "campaign": assessment.enrolment.campaign,
            "rows": rows,
            "editable": editable,
            "can_submit": user.has_perm("assessments.submit_assessment", assessment),
            "posted": posted,
            "changes": changes,
            "missing": missing,
            "error": refusal(error)
            if isinstance(error, ValidationError | PermissionDenied)
            else None,
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
        return self.page()

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user, post, assessment = request.user, request.POST, self.assessment
        action = post.get("action", "save")
        rows = selectors.assessment_rows(assessment, with_reviews=True)
        try:
            with transaction.atomic():
                services.review_save(
                    actor=user,
                    assessment=assessment,
                    entries=entries_from(post, rows, note_field="comment"),
                )
                if action == "return":
                    services.assessment_return(
                        actor=user, assessment=assessment, reason=post.get("reason", "")
                    )
                elif action == "accept":
                    services.assessment_accept(actor=user, assessment=assessment)
        except (ValidationError, PermissionDenied) as error:
            return self.page(posted=post, error=refusal(error), status=400)
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

    def page(
        self, *, posted: QueryDict | None = None, error: str | None = None, status: int = 200
    ) -> HttpResponse:
        rows = selectors.assessment_rows(self.assessment, with_reviews=True)
        mine = {
            r.criterion_id: r
            for row in rows
            for r in row.reviews
            if r.reviewer_id == self.request.user.pk and r.stage == self.assessment.review_stage
        }
        context = {
            "assessment": self.assessment,
            "enrolment": self.assessment.enrolment,
            "campaign": self.assessment.enrolment.campaign,
            "rows": rows,
            "mine": mine,
            "posted": posted,
            "error": error,
            "return_form": ReturnForm(posted),
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
        page = Paginator(found.qs, self.paginate_by).get_page(self.request.GET.get("page"))
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
        return self.render_to_response(self.get_context_data(form=form), status=400)

"""Scoring runs (start, progress, publish, compare), rankings, exports and the public pages."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from campaigns.mixins import MANAGE_PERM, CampaignMixin, refusal, refusal_beside, refused_form
from campaigns.models import Campaign
from campaigns.selectors import checklist_rows, page_of
from core import documents
from core.confirm import is_confirmed
from core.uploads import stored_file_response

from . import selectors
from . import services as runs
from .exports import RANKINGS_PERM, WRITERS, csv_lines, export_job_request
from .filters import ResultFilter
from .forms import RunCancelForm
from .models import ExportJob, ExportStatus, Result, RunStatus, ScoringRun


def publish_consequence(
    campaign: Campaign, number: int, units: int | None = None, never: int | None = None
) -> str:
    if units is None:
        units = campaign.enrolments.count()
    if never is None:
        never = selectors.never_submitted(campaign)
    said = _(
        "Kết quả lần tính điểm thứ %(n)s của %(units)s đơn vị sẽ được công bố: mọi người, kể cả "
        "người không đăng nhập, xem được điểm, xếp hạng và xếp loại; các đơn vị xem được kết quả "
        "của mình."
    ) % {"n": number, "units": units}
    if never:
        said += " " + _(
            "%(never)s đơn vị chưa từng nộp bản tự chấm điểm: kết quả công khai ghi “Chưa đánh "
            "giá”."
        ) % {"never": never}
    return said + " " + _("Người đứng đầu mỗi đơn vị tham gia nhận được thông báo.")


class RunListView(CampaignMixin, TemplateView):
    """Runs of a campaign, newest first, 10 a page: start one, watch it, publish it, compare two.
    The same queries whatever the number of runs or units."""

    permission = MANAGE_PERM
    template_name = "scoring/runs.html"
    paginate_by = 10

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        numbers = selectors.run_numbers(self.campaign)
        page = Paginator(
            self.campaign.scoring_runs.order_by("-created_at", "-pk"), self.paginate_by
        ).get_page(self.request.GET.get("page"))
        units = self.campaign.enrolments.count()
        never = selectors.never_submitted(self.campaign)
        for run in page:
            run.number = numbers.get(run.pk)
            run.publish_consequence = publish_consequence(
                self.campaign, run.number or 0, units, never
            )
        try:
            runs.scoring_run_check(self.campaign)
            refusal_text = ""
        except ValidationError as error:
            refusal_text = refusal(error)
        unreviewed_count, unreviewed = selectors.unreviewed_first(self.campaign)
        context.update(
            runs=page.object_list,
            page_obj=page,
            finished=[(pk, numbers.get(pk)) for pk in selectors.finished_run_ids(self.campaign)],
            start_refusal=refusal_text,
            unreviewed=unreviewed,
            unreviewed_count=unreviewed_count,
            unreviewed_more=unreviewed_count - len(unreviewed),
        )
        return context

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        try:
            run = runs.scoring_run_start(actor=request.user, campaign=self.campaign)
        except (ValidationError, PermissionDenied) as error:
            return self.shown_again(refused=refused_form(error))  # the runs again, with why: 422
        messages.success(
            request, _("Đã bắt đầu lần tính điểm thứ %(n)s.") % {"n": selectors.run_number(run)}
        )
        return redirect("scoring:runs", code=code)


class RunMixin(CampaignMixin):
    def run(self) -> ScoringRun:
        return get_object_or_404(ScoringRun, pk=self.kwargs["pk"], campaign=self.campaign)


class RunProgressView(RunMixin, View):
    """The progress bar; htmx polls it while the run is under way."""

    permission = MANAGE_PERM

    def get(self, request: HttpRequest, code: str, pk: int) -> HttpResponse:
        run = self.run()
        run.number = selectors.run_number(run)
        return render(
            request, "scoring/_run_progress.html", {"run": run, "campaign": self.campaign}
        )


class RunPublishView(RunMixin, RunListView):
    """Publish a run, after a confirmation; with units not reviewed only when the manager ticked
    "publish with N units not reviewed" (the service checks again). A refusal shows the runs
    again with why (422)."""

    permission = MANAGE_PERM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, code: str, pk: int) -> HttpResponse:
        run = self.run()
        publish_unreviewed = request.POST.get("publish_unreviewed") == "1"
        if not is_confirmed(request):
            number = selectors.run_number(run)
            return render(
                request,
                "campaigns/confirm.html",
                {
                    "campaign": self.campaign,
                    "title": _("Công bố kết quả lần tính điểm thứ %(n)s") % {"n": number},
                    "consequence": publish_consequence(self.campaign, number),
                    "unreviewed": selectors.unreviewed_named(self.campaign)[1]
                    if publish_unreviewed
                    else "",
                    "action_url": request.path,
                    "back_url": reverse("scoring:runs", args=[code]),
                    "fields": {"publish_unreviewed": "1"} if publish_unreviewed else {},
                    "can_manage": True,
                    "can_see_rankings": True,
                },
            )
        try:
            runs.scoring_run_publish(
                actor=request.user, run=run, publish_unreviewed=publish_unreviewed
            )
        except (ValidationError, PermissionDenied) as error:
            return self.shown_again(refused=refused_form(error))
        messages.success(request, _("Đã công bố kết quả."))
        return redirect("scoring:runs", code=code)


class RunCancelView(RunMixin, RunListView):
    """Stop a run that cannot go on (its worker vanished, the task queue is down), with a reason.
    A refusal shows the runs again with why (422)."""

    permission = MANAGE_PERM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, code: str, pk: int) -> HttpResponse:
        run = self.run()
        form = RunCancelForm(request.POST, auto_id=f"id_%s_{run.pk}")  # one reason box a run
        if form.is_valid():
            try:
                runs.scoring_run_cancel(actor=request.user, run=run, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                refusal_beside(form, error, {"reason": "reason"})
            else:
                messages.success(request, _("Đã hủy lần tính điểm."))
                return redirect("scoring:runs", code=code)
        if not run.is_active:  # its row draws no reason box: the refusal in the summary
            said = [message for errors in form.errors.values() for message in errors]
            return self.shown_again(refused=refused_form(ValidationError(said)))
        return self.shown_again(refused=form, cancel_form=form, cancelled=run.pk)


class RunCompareView(CampaignMixin, TemplateView):
    permission = MANAGE_PERM
    template_name = "scoring/compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        done = self.campaign.scoring_runs.filter(status=RunStatus.SUCCEEDED)
        try:
            older = done.get(pk=self.request.GET.get("a"))
            newer = done.get(pk=self.request.GET.get("b"))
        except (ScoringRun.DoesNotExist, ValueError):
            raise Http404 from None
        context.update(
            older=older,
            newer=newer,
            older_number=selectors.run_number(older),
            newer_number=selectors.run_number(newer),
            moves=selectors.runs_compare(older, newer),
        )
        return context


def chosen_run(view: CampaignMixin) -> ScoringRun:
    run = selectors.run_to_show(view.campaign, view.request.GET.get("run"))
    if run is None:
        raise Http404(_("Phong trào chưa có kết quả chấm điểm."))
    return run


class RankingsView(CampaignMixin, TemplateView):
    """The rankings of the run asked for; before the first run, what to do next (not a 404)."""

    permission = RANKINGS_PERM
    template_name = "scoring/rankings.html"
    paginate_by = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run = selectors.run_to_show(self.campaign, self.request.GET.get("run"))
        if run is None:
            context["run"] = None
            return context
        results = ResultFilter(self.request.GET, queryset=selectors.result_list(run), run=run)
        page = page_of(results.qs, self.request.GET.get("page"), self.paginate_by)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            run=run,
            run_number=selectors.run_number(run),
            filter=results,
            page_obj=page,
            query=query,
            charts=selectors.result_charts(run),
        )
        return context


class UnitResultView(CampaignMixin, TemplateView):
    """One unit: its result and reasons, and each criterion against its block's average.

    The campaign's managers and council see any run; the unit's own people see their unit in the
    published run only."""

    template_name = "scoring/unit_result.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        enrolment = get_object_or_404(
            self.campaign.enrolments.all(), pk=self.kwargs["enrolment_id"]
        )
        if self.request.user.has_perm(RANKINGS_PERM, self.campaign):
            run = selectors.run_to_show(self.campaign, self.request.GET.get("run"))
        elif self.request.user.has_perm("campaigns.view_enrolment", enrolment):
            run = selectors.published_run(self.campaign)
        else:
            raise PermissionDenied
        if run is None:
            self.template_name = "scoring/rankings.html"
            context["run"] = None
            return context
        result = get_object_or_404(
            Result.objects.select_related("run", "unit", "block", "enrolment"),
            run=run,
            enrolment_id=enrolment.pk,
        )
        finals = selectors.criterion_scores(result)  # as the run stored them
        rows = [
            (row, *finals.get(row.criterion.pk, (None, None)))
            for row in checklist_rows(self.campaign.checklist)
        ]
        context.update(
            run=run,
            result=result,
            rows=rows,
            reasons=selectors.exemplary_reasons(result, self.campaign),
            band_reasons=selectors.band_reasons(result),
        )
        return context


class ExportView(CampaignMixin, TemplateView):
    """The results as a file. The CSV streams row by row; the PDF and the .xlsx are built by a task
    (whatever the campaign's size): a GET offers to build the file, a POST asks for it and goes to
    the job's page, which shows the progress and then the link."""

    permission = RANKINGS_PERM
    template_name = "scoring/export.html"

    def get(self, request: HttpRequest, code: str, fmt: str) -> HttpResponse:  # type: ignore[override]
        if fmt == "csv":
            run = chosen_run(self)
            response = StreamingHttpResponse(csv_lines(run, bom=True), content_type=documents.CSV)
            response["Content-Disposition"] = documents.content_disposition(f"ket-qua-{code}.csv")
            return response
        if fmt not in WRITERS:
            raise Http404
        run = chosen_run(self)
        return self.render_to_response(
            self.get_context_data(run=run, run_number=selectors.run_number(run), fmt=fmt)
        )

    def post(self, request: HttpRequest, code: str, fmt: str) -> HttpResponse:
        if fmt not in WRITERS:
            raise Http404
        run = selectors.run_to_show(self.campaign, request.POST.get("run"))
        if run is None:
            raise Http404(_("Phong trào chưa có kết quả chấm điểm."))
        try:
            job = export_job_request(actor=request.user, run=run, fmt=fmt)
        except (ValidationError, PermissionDenied) as error:  # the export page again, with why
            return self.shown_again(
                refused=refused_form(error), run=run, run_number=selectors.run_number(run), fmt=fmt
            )
        return redirect("scoring:export_job", code=code, pk=job.pk)


class ExportJobMixin(CampaignMixin):
    """A results file of this campaign: whoever reads its rankings reads its files."""

    permission = RANKINGS_PERM

    def job(self) -> ExportJob:
        return get_object_or_404(
            ExportJob.objects.select_related("run__campaign"),
            pk=self.kwargs["pk"],
            run__campaign=self.campaign,
        )


class ExportJobView(ExportJobMixin, TemplateView):
    template_name = "scoring/export.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = self.job()
        context.update(
            job=job, run=job.run, run_number=selectors.run_number(job.run), fmt=job.format
        )
        return context


class ExportJobProgressView(ExportJobMixin, View):
    """The job's progress; htmx polls it until the file is there."""

    def get(self, request: HttpRequest, code: str, pk: int) -> HttpResponse:
        return render(
            request,
            "scoring/_export_progress.html",
            {"job": self.job(), "campaign": self.campaign},
        )


class ExportJobFileView(ExportJobMixin, View):
    """The file itself, as an attachment named after the campaign."""

    def get(self, request: HttpRequest, code: str, pk: int) -> HttpResponse:
        job = self.job()
        if job.status != ExportStatus.DONE or not job.file:
            raise Http404
        try:
            return stored_file_response(job)
        except FileNotFoundError:
            raise Http404(_("Tệp không còn trên máy chủ: hãy tạo lại.")) from None


@method_decorator(login_not_required, name="dispatch")
class PublicCampaignListView(TemplateView):
    template_name = "scoring/public_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["campaigns"] = selectors.public_campaigns()
        return context


@method_decorator(login_not_required, name="dispatch")
class PublicResultsView(TemplateView):
    """Published results and exemplary models, for anyone (no login)."""

    template_name = "scoring/public_results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        campaign = get_object_or_404(
            Campaign.objects.select_related("authority"), code=self.kwargs["code"]
        )
        run = selectors.published_run(campaign)
        if run is None:
            raise Http404
        results = selectors.result_list(run)
        page = Paginator(results, 100).get_page(self.request.GET.get("page"))
        context.update(
            campaign=campaign,
            run=run,
            page_obj=page,
            exemplary=list(results.filter(exemplary=True).values("unit_name", "final_score")),
        )
        return context

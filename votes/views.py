"""Council sessions in the browser: attendance, nominations, voting, minutes and the decision."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from campaigns.mixins import MANAGE_PERM, CampaignMixin, refusal
from campaigns.models import Campaign
from scoring.models import Result

from . import services
from .documents import decision_docx, minutes_pdf
from .models import Choice, CouncilSession, Nomination, SessionStatus, Title, VoteReceipt

COUNCIL_PERM = "scoring.view_rankings"  # managers of the campaign and its council members


class SessionListView(CampaignMixin, TemplateView):
    permission = COUNCIL_PERM
    template_name = "votes/sessions.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sessions"] = self.campaign.sessions.all()
        return context

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        try:
            held_on = datetime.date.fromisoformat(request.POST.get("held_on", ""))
            session = services.session_create(
                actor=request.user, campaign=self.campaign, held_on=held_on
            )
        except ValueError:
            messages.error(request, _("Ngày họp không hợp lệ."))
            return redirect("votes:sessions", code=code)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal(error))
            return redirect("votes:sessions", code=code)
        return redirect("votes:session", code=code, pk=session.pk)


class SessionMixin(CampaignMixin):
    permission = COUNCIL_PERM

    def session(self) -> CouncilSession:
        return get_object_or_404(CouncilSession, pk=self.kwargs["pk"], campaign=self.campaign)


class SessionView(SessionMixin, TemplateView):
    template_name = "votes/session.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        session, user = self.session(), self.request.user
        attendance = list(session.attendance.select_related("user"))
        voted = set(
            VoteReceipt.objects.filter(nomination__session=session, user=user).values_list(
                "nomination_id", flat=True
            )
        )
        context.update(
            session=session,
            attendance=attendance,
            titles=Title.objects.all(),
            outcomes=services.session_outcomes(session),
            voted=voted,
            choices=Choice.choices,
            present=sum(1 for a in attendance if a.present),
            i_am_present=any(a.user_id == user.pk and a.present for a in attendance),
            absent=[a for a in attendance if not a.present],
            is_secretary=services.is_secretary(user, self.campaign),
            can_run=user.has_perm(MANAGE_PERM, self.campaign)
            or services.is_secretary(user, self.campaign),
        )
        return context


class SessionActionView(SessionMixin, View):
    """attendance, prefill, open, vote, written, close: one POST each."""

    def post(self, request: HttpRequest, code: str, pk: int, action: str) -> HttpResponse:
        session, post, user = self.session(), request.POST, request.user
        try:
            officer = user.has_perm(MANAGE_PERM, self.campaign) or services.is_secretary(
                user, self.campaign
            )
            if action in ("attendance", "nominate", "prefill", "open", "close") and not officer:
                raise PermissionDenied
            self.act(action, session, post, user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal(error))
        return redirect("votes:session", code=code, pk=pk)

    def act(self, action: str, session: CouncilSession, post: Any, user: Any) -> None:
        if action == "attendance":
            present = set(post.getlist("present"))
            for attendance in session.attendance.all():
                services.attendance_set(
                    actor=user,
                    session=session,
                    user=attendance.user,
                    present=str(attendance.user_id) in present,
                )
        elif action == "nominate":
            services.nomination_add(
                actor=user,
                session=session,
                enrolment=get_object_or_404(self.campaign.enrolments, pk=post.get("enrolment")),
                title=get_object_or_404(Title, pk=post.get("title")),
            )
        elif action == "prefill":
            title = get_object_or_404(Title, pk=post.get("title"))
            made = services.nominations_prefill(actor=user, session=session, title=title)
            messages.success(self.request, _("Đã đề nghị %s đơn vị.") % len(made))
        elif action == "open":
            services.voting_open(actor=user, session=session)
        elif action == "close":
            services.session_close(actor=user, session=session)
        elif action in ("vote", "written"):
            nomination = get_object_or_404(Nomination, pk=post.get("nomination"))
            if action == "vote":
                services.vote_cast(
                    voter=user,
                    session=session,
                    nomination=nomination,
                    choice=post.get("choice", ""),
                )
            else:
                member = get_object_or_404(session.attendance, user_id=post.get("member")).user
                services.written_vote_record(
                    secretary=user,
                    session=session,
                    nomination=nomination,
                    member=member,
                    choice=post.get("choice", ""),
                )
            messages.success(self.request, _("Đã ghi nhận phiếu."))
        else:
            raise Http404


class MinutesView(SessionMixin, TemplateView):
    template_name = "votes/minutes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        session = self.session()
        context.update(
            session=session,
            outcomes=services.session_outcomes(session),
            present=session.attendance.filter(present=True).count(),
            members=session.attendance.count(),
        )
        return context


class SessionDocumentView(SessionMixin, View):
    def get(self, request: HttpRequest, code: str, pk: int, fmt: str) -> FileResponse:
        session = self.session()
        if session.status != SessionStatus.CLOSED:
            raise Http404(_("Phiên họp chưa kết thúc."))
        outcomes = services.session_outcomes(session)
        if fmt == "docx":
            return FileResponse(
                iter([decision_docx(session, outcomes)]),
                as_attachment=True,
                filename=f"du-thao-quyet-dinh-{code}.docx",
            )
        if fmt == "pdf":
            pdf = minutes_pdf(
                session,
                outcomes,
                session.attendance.filter(present=True).count(),
                session.attendance.count(),
            )
            return FileResponse(
                iter([pdf]),
                as_attachment=True,
                filename=f"bien-ban-{code}.pdf",
                content_type="application/pdf",
            )
        raise Http404


@method_decorator(login_not_required, name="dispatch")
class CommendedView(TemplateView):
    """Public: the units a closed session commended, and the exemplary models, with scores."""

    template_name = "votes/commended.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        campaign = get_object_or_404(
            Campaign, code=self.kwargs["code"], scoring_runs__is_published=True
        )
        outcomes = [
            outcome
            for session in campaign.sessions.filter(status=SessionStatus.CLOSED)
            for outcome in services.session_outcomes(session)
            if outcome.tally.passed
        ]
        context.update(
            campaign=campaign,
            outcomes=outcomes,
            exemplary=Result.objects.filter(
                run__campaign=campaign, run__is_published=True, exemplary=True
            ),
        )
        return context

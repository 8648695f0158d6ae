"""Council sessions in the browser: attendance, nominations, voting, minutes and the decision.

No page shows a count before the session closes: counts come only from the close's snapshot."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from campaigns.mixins import MANAGE_PERM, CampaignMixin, refusal
from campaigns.models import Campaign
from core.documents import DOCX, PDF, attachment
from scoring.models import Result

from . import selectors, services
from .documents import decision_docx, minutes_pdf
from .forms import (
    BallotForm,
    CloseForm,
    NominationForm,
    PrefillForm,
    SessionForm,
    WrittenBallotForm,
)
from .models import Award, Choice, CouncilSession, SessionStatus

COUNCIL_PERM = "scoring.view_rankings"  # managers of the campaign and its council members
OFFICER_ACTIONS = {"attendance", "nominate", "prefill", "open", "close"}


def cleaned(form: forms.Form) -> dict[str, Any]:
    """The form's data, or its errors as the refusal the session page shows."""
    if not form.is_valid():
        raise ValidationError([error for errors in form.errors.values() for error in errors])
    return form.cleaned_data


class SessionListView(CampaignMixin, TemplateView):
    permission = COUNCIL_PERM
    template_name = "votes/sessions.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sessions"] = selectors.sessions_of(self.campaign)
        context["form"] = kwargs.get("form") or SessionForm()
        return context

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        form = SessionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            session = services.session_create(
                actor=request.user, campaign=self.campaign, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal(error))
            return redirect("votes:sessions", code=code)
        return redirect("votes:session", code=code, pk=session.pk)


class SessionMixin(CampaignMixin):
    permission = COUNCIL_PERM

    def session(self) -> CouncilSession:
        return get_object_or_404(CouncilSession, pk=self.kwargs["pk"], campaign=self.campaign)

    def is_officer(self) -> bool:
        user = self.request.user
        return user.has_perm(MANAGE_PERM, self.campaign) or services.is_secretary(
            user, self.campaign
        )


class SessionView(SessionMixin, TemplateView):
    template_name = "votes/session.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        session, user = self.session(), self.request.user
        attendance = selectors.attendance_of(session)
        context.update(
            session=session,
            attendance=attendance,
            nominations=selectors.nominations_of(session),
            outcomes=selectors.outcomes_of(session),
            awards=Award.objects.all(),
            nomination_form=NominationForm(campaign=self.campaign),
            close_form=CloseForm(),
            voted=selectors.voted_by(session, user),
            choices=Choice.choices,
            present=sum(1 for a in attendance if a.present),
            i_am_present=any(a.user_id == user.pk and a.present for a in attendance),
            absent=[a for a in attendance if not a.present],
            is_secretary=services.is_secretary(user, self.campaign),
            can_run=self.is_officer(),
        )
        return context


class SessionActionView(SessionMixin, View):
    """attendance, nominate, prefill, open, vote, written, close: one POST each."""

    def post(self, request: HttpRequest, code: str, pk: int, action: str) -> HttpResponse:
        session = self.session()
        try:
            if action in OFFICER_ACTIONS and not self.is_officer():
                raise PermissionDenied
            self.act(action, session, request.POST, request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal(error))
        return redirect("votes:session", code=code, pk=pk)

    def act(self, action: str, session: CouncilSession, post: Any, user: Any) -> None:
        if action == "attendance":
            present = set(post.getlist("present"))
            for row in session.attendance.select_related("user"):
                services.attendance_set(
                    actor=user,
                    session=session,
                    user=row.user,
                    present=str(row.user_id) in present,
                )
        elif action == "nominate":
            data = cleaned(NominationForm(post, campaign=self.campaign))
            services.nomination_add(actor=user, session=session, **data)
        elif action == "prefill":
            award = cleaned(PrefillForm(post))["award"]
            made = services.nominations_prefill(actor=user, session=session, award=award)
            messages.success(self.request, _("Đã đề nghị %s đơn vị.") % len(made))
        elif action == "open":
            services.voting_open(actor=user, session=session)
        elif action == "close":
            services.session_close(actor=user, session=session, **cleaned(CloseForm(post)))
        elif action in ("vote", "written"):
            self.vote(action, session, post, user)
        else:
            raise Http404

    def vote(self, action: str, session: CouncilSession, post: Any, user: Any) -> None:
        choice = post.get("choice", "")
        if action == "vote":
            nomination = cleaned(BallotForm(post, session=session))["nomination"]
            services.vote_cast(voter=user, session=session, nomination=nomination, choice=choice)
        else:
            data = cleaned(WrittenBallotForm(post, session=session))
            nomination, member = data["nomination"], data["member"]
            services.written_vote_record(
                secretary=user, session=session, nomination=nomination, member=member, choice=choice
            )
        messages.success(self.request, _("Đã ghi nhận phiếu."))


class ClosedSessionMixin(SessionMixin):
    def closed_session(self) -> CouncilSession:
        session = self.session()
        if session.status != SessionStatus.CLOSED:
            raise Http404(_("Phiên họp chưa kết thúc."))
        return session


class MinutesView(ClosedSessionMixin, TemplateView):
    """Biên bản họp: only once the session is closed (counts do not exist before)."""

    template_name = "votes/minutes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        session = self.closed_session()
        attendance = selectors.attendance_of(session)
        context.update(
            session=session,
            outcomes=selectors.outcomes_of(session),
            present=[a for a in attendance if a.present],
            absent=[a for a in attendance if not a.present],
        )
        return context


class SessionDocumentView(ClosedSessionMixin, View):
    """quyet-dinh.docx (the decision) and bien-ban.pdf (the minutes), as real downloads."""

    def get(self, request: HttpRequest, code: str, pk: int, fmt: str) -> HttpResponse:
        session = self.closed_session()
        outcomes = selectors.outcomes_of(session)
        stamp = f"{code}-{session.held_on:%Y%m%d}"
        if fmt == "docx":
            return attachment(
                decision_docx(session, outcomes),
                content_type=DOCX,
                filename=f"quyet-dinh-khen-thuong-{stamp}.docx",
            )
        if fmt == "pdf":
            attendance = selectors.attendance_of(session)
            return attachment(
                minutes_pdf(session, outcomes, attendance),
                content_type=PDF,
                filename=f"bien-ban-hop-hoi-dong-{stamp}.pdf",
            )
        raise Http404


@method_decorator(login_not_required, name="dispatch")
class CommendedView(TemplateView):
    """Public: what closed sessions passed, and the units leading their cụm/khối."""

    template_name = "votes/commended.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        campaign = get_object_or_404(
            Campaign.objects.distinct(), code=self.kwargs["code"], scoring_runs__is_published=True
        )
        context.update(
            campaign=campaign,
            outcomes=selectors.commended(campaign),
            leading=Result.objects.filter(
                run__campaign=campaign, run__is_published=True, exemplary=True
            ),
        )
        return context

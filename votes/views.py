"""Council sessions in the browser: attendance, nominations, voting, minutes and the decision.

No page shows a count before the session closes: counts come only from the close's snapshot."""

import tempfile
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from campaigns.mixins import MANAGE_PERM, CampaignMixin, refusal, refusal_beside, refused_form
from campaigns.models import Campaign
from core.confirm import is_confirmed, posted_fields
from core.documents import DOCX, PDF, XLSX, attachment
from core.mixins import InvalidFormStatusMixin
from core.uploads import stored_file_response
from core.workbooks import XLSX_CONTENT_TYPE
from units.mixins import ManagerRequiredMixin
from units.models import PublishedFile, Unit
from units.rules import authority_root_ids, is_campaign_manager, user_unit_ids
from units.selectors import document_profile, managed_authorities

from . import documents, ledger_sheet, selectors, services
from .filters import LedgerFilter
from .forms import (
    AwardNumbersForm,
    AwardTermStartForm,
    BallotForm,
    BaseSalaryForm,
    CloseForm,
    DesignationForm,
    IssueForm,
    LedgerImportForm,
    NominationForm,
    PrefillForm,
    ProposalCreateForm,
    ProposalFileForm,
    ProposalFilterForm,
    ProposalReturnForm,
    ProposalRoundForm,
    ProposalScheduleForm,
    ProposalSendForm,
    ProvinceRatioForm,
    QuotaForm,
    SessionForm,
    UndesignateForm,
    WrittenBallotForm,
)
from .models import (
    Award,
    AwardTerm,
    BaseSalary,
    CatalogueEvent,
    Choice,
    CouncilSession,
    Nomination,
    ProposalRound,
    SessionStatus,
)

COUNCIL_PERM = "scoring.view_rankings"  # managers of the campaign and its council members
OFFICER_ACTIONS = {
    "attendance",
    "nominate",
    "prefill",
    "open",
    "close",
    "designate",
    "undesignate",
    "issue",
    "publish",
    "propose",
}


def cleaned(form: forms.Form) -> dict[str, Any]:
    """The form's data, or its errors as the refusal the session page shows."""
    if not form.is_valid():
        raise ValidationError([error for errors in form.errors.values() for error in errors])
    return form.cleaned_data


# The session page's forms by action, each shown again with its errors when refused.
PAGE_FORMS = {
    "nominate": "nomination_form",
    "prefill": "prefill_form",
    "designate": "designation_form",
    "close": "close_form",
    "issue": "issue_form",
    "propose": "proposal_form",
}
# The field of a page form each refusal of its service is about, by action.
PAGE_FIELDS = {
    "close": {"missing_ballots": "missing_accepted"},
    "nominate": {"condition": "condition_reason"},
}
# Ids of the forms drawn beside the nomination form on the same page, whose fields share names
# with it (award, enrolment, ...).
PREFILL_ID = "prefill_%s"
DESIGNATION_ID = "designation_%s"
# The ballots drawn in each nomination's row, by action: the ids of their fields in that row
# (templates/votes/_ballot.html) and the field each refusal of the service is about.
BALLOT_IDS = {"vote": "id_%s_{}", "written": "id_written_%s_{}"}
BALLOT_FIELDS = {
    "vote": {"choice": "choice"},
    "written": {"choice": "choice", "not_absent": "member", "twice": "member"},
}


# The steps that cannot be undone: each asks first, with what it will do in numbers (the dialog
# of static/js/portal.js, or without JavaScript the page of `SessionActionView.ask`).
ASKS_FIRST = {"open", "close", "vote", "written"}


def open_consequence(session: CouncilSession, attendance: Any, nominations: int) -> str:
    present = sum(1 for a in attendance if a.present)
    return _(
        "Mở biểu quyết với %(present)s/%(members)s thành viên có mặt và %(n)s đề nghị. Từ lúc "
        "mở, thành phần tham dự và danh sách đề nghị không sửa được nữa."
    ) % {"present": present, "members": len(attendance), "n": nominations}


def close_consequence(session: CouncilSession, missing: list[selectors.MissingBallots]) -> str:
    counts = {"n": session.nominations.count()}
    if not missing:
        return (
            _(
                "Mọi thành viên có mặt đã biểu quyết. Kết thúc phiên họp: mở hòm phiếu và tính kết "
                "quả %(n)s đề nghị; không ai biểu quyết được nữa."
            )
            % counts
        )
    return _(
        "Còn %(members)s thành viên có mặt chưa biểu quyết đủ (%(ballots)s phiếu). Kết thúc phiên "
        "họp: mở hòm phiếu và tính kết quả %(n)s đề nghị; các phiếu chưa bỏ không còn bỏ được."
    ) % {
        **counts,
        "members": len(missing),
        "ballots": sum(len(m.nominations) for m in missing),
    }


def vote_consequence(nomination: Nomination, choice: str) -> str:
    return _(
        "Bạn chọn “%(choice)s” cho đề nghị: %(nominee)s — %(award)s. Phiếu đã bỏ không sửa được."
    ) % {
        "choice": Choice(choice).label,
        "nominee": nomination.nominee,
        "award": nomination.award.name,
    }


def written_consequence(member: Any, nomination: Nomination, choice: str) -> str:
    return _(
        "Phiếu bằng văn bản của %(member)s: “%(choice)s” cho đề nghị: %(nominee)s — %(award)s. "
        "Phiếu đã ghi không sửa được."
    ) % {
        "member": member.get_full_name() or member.username,
        "choice": Choice(choice).label,
        "nominee": nomination.nominee,
        "award": nomination.award.name,
    }


def dry_run(step: Callable[[], object]) -> None:
    """Runs a service and undoes what it wrote: its refusal, if any, before a question."""
    with transaction.atomic():
        step()
        transaction.set_rollback(True)


def shown_forms(session: CouncilSession, officer: bool, manager: bool = False) -> dict[str, bool]:
    """Which forms the session page draws, by action: templates/votes/session.html and
    _designations.html read this, and a refused action comes back in its form only if drawn.
    The decision is issued by the authority's manager, once."""
    planned = officer and session.status == SessionStatus.PLANNED
    closed = session.status == SessionStatus.CLOSED
    return {
        "attendance": planned,
        "nominate": planned,
        "prefill": planned,
        "designate": officer and not closed,
        "close": officer and session.status == SessionStatus.VOTING,
        "issue": manager and closed and not session.decision_number,
        "publish": manager and closed and session.files_pending,
        "propose": manager
        and closed
        and not hasattr(session, "proposal")
        and bool(selectors.proposal_nominations(session)),
    }


def level_label(level: str | None) -> str:
    return str(Award.Level(level).label) if level else ""


class SessionListView(CampaignMixin, TemplateView):
    permission = COUNCIL_PERM
    template_name = "votes/sessions.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sessions"] = selectors.sessions_of(self.campaign)
        context["form"] = kwargs.get("form") or SessionForm()
        context["quotas"] = selectors.quotas_of(self.campaign)
        context["quota_form"] = kwargs.get("quota_form") or QuotaForm(campaign=self.campaign)
        return context

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        if not request.user.has_perm(MANAGE_PERM, self.campaign):  # the form is theirs only
            raise PermissionDenied
        form = SessionForm(request.POST)
        if not form.is_valid():
            return self.shown_again(form=form)
        try:
            session = services.session_create(
                actor=request.user, campaign=self.campaign, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, refusal(error))
            return self.shown_again(form=form)
        return redirect("votes:session", code=code, pk=session.pk)


class QuotaView(SessionListView):
    """POST: set or remove the campaign's quota of nominations for a cụm/khối; a refused quota
    comes back on the sessions page."""

    permission = MANAGE_PERM
    http_method_names = ["post"]

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        form = QuotaForm(request.POST, campaign=self.campaign)
        if not form.is_valid():
            return self.shown_again(quota_form=form)
        try:
            services.quota_set(actor=request.user, campaign=self.campaign, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            refusal_beside(form, error, {"source": "source"})
            return self.shown_again(quota_form=form)
        return redirect("votes:sessions", code=code)


class SessionMixin(CampaignMixin):
    permission = COUNCIL_PERM

    def session(self) -> CouncilSession:
        return get_object_or_404(CouncilSession, pk=self.kwargs["pk"], campaign=self.campaign)

    def ballot_state(self, session: CouncilSession, attendance: Any) -> dict[str, Any]:
        """What decides the ballots of the page's rows for this user (votes/_ballot.html)."""
        user = self.request.user
        return {
            "voted": selectors.voted_by(session, user),
            "i_am_present": any(a.user_id == user.pk and a.present for a in attendance),
            "absent": [a for a in attendance if not a.present],
            "is_secretary": services.is_secretary(user, self.campaign),
        }

    def is_officer(self) -> bool:
        user = self.request.user
        return self.is_manager() or services.is_secretary(user, self.campaign)

    def is_manager(self) -> bool:
        return bool(self.request.user.has_perm(MANAGE_PERM, self.campaign))

    def shows(self, session: CouncilSession) -> dict[str, bool]:
        return shown_forms(session, self.is_officer(), self.is_manager())


class SessionView(SessionMixin, TemplateView):
    template_name = "votes/session.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        session = self.session()
        attendance = selectors.attendance_of(session)
        nominations = list(selectors.nominations_of(session))
        checks = selectors.conditions_of_session(session, nominations)  # read in the ledger
        for nomination in nominations:
            nomination.condition_checks = checks[nomination.pk]  # type: ignore[attr-defined]
        missing = selectors.missing_ballots(session)
        prefill = kwargs.get("prefill_form") or PrefillForm(
            campaign=self.campaign, day=session.held_on, auto_id=PREFILL_ID
        )
        context.update(
            session=session,
            attendance=attendance,
            nominations=nominations,
            outcomes=selectors.outcomes_of(session),
            awards=prefill.fields["award"].queryset,
            nomination_form=kwargs.get("nomination_form")
            or NominationForm(campaign=self.campaign, day=session.held_on),
            prefill_form=prefill,
            designations=selectors.designations_of(session),
            candidates=selectors.leading_candidates(session),
            designation_form=kwargs.get("designation_form")
            or DesignationForm(campaign=self.campaign, auto_id=DESIGNATION_ID),
            funds=selectors.funding_totals(selectors.outcomes_of(session)),
            level=level_label(services.authority_level(self.campaign)),
            close_form=kwargs.get("close_form") or CloseForm(missing=bool(missing)),
            missing=missing,
            open_consequence=open_consequence(session, attendance, len(nominations)),
            close_consequence=close_consequence(session, missing),
            issue_form=kwargs.get("issue_form") or IssueForm(campaign=self.campaign),
            profile=document_profile(self.campaign.authority),
            choices=Choice.choices,
            present=sum(1 for a in attendance if a.present),
            **self.ballot_state(session, attendance),
            can_run=self.is_officer(),
            shows=self.shows(session),
            proposal=getattr(session, "proposal", None),
            proposal_form=kwargs.get("proposal_form") or self.proposal_form(session),
            issued_files=PublishedFile.objects.filter(
                pk__in=[session.decision_file_id, session.minutes_file_id]
            ).only("code", "title", "certificate_fingerprint"),
        )
        return context

    def proposal_form(self, session: CouncilSession, data: Any = None) -> ProposalCreateForm:
        province = selectors.province_of(self.campaign.authority)
        rounds = selectors.rounds_of(province) if province else ProposalRound.objects.none()
        return ProposalCreateForm(data, rounds=rounds)


class SessionActionView(SessionView):
    """attendance, nominate, prefill, open, vote, written, close: one POST each. A refusal
    shows the session page again (422): the action's form with its errors when the page shows
    that form, else the refusal in the summary at the top."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, code: str, pk: int, action: str) -> HttpResponse:
        session = self.session()
        self.form: forms.Form | None = None
        try:
            if action in OFFICER_ACTIONS and not self.is_officer():
                raise PermissionDenied
            if action in ASKS_FIRST and not is_confirmed(request):
                return self.ask(action, session, request.POST)
            made = self.act(action, session, request.POST, request.user)
        except (ValidationError, PermissionDenied) as error:
            return self.refused(action, session, error)
        if action == "propose":
            return redirect("votes:proposal", pk=made.pk)  # type: ignore[union-attr]
        return redirect("votes:session", code=code, pk=pk)

    def ask(self, action: str, session: CouncilSession, post: Any) -> HttpResponse:
        """The question of an irreversible step, as a page, when the dialog did not ask it (no
        JavaScript): what it will do, in numbers. The step is first tried and undone, so a step
        the service refuses (no quorum, ballots still missing without the tick box, a second
        vote) is refused before anything is asked."""
        user = self.request.user
        details: list[object] = []
        if action == "open":
            dry_run(lambda: services.voting_open(actor=user, session=session))
            title = _("Mở biểu quyết")
            consequence = open_consequence(
                session, selectors.attendance_of(session), session.nominations.count()
            )
        elif action == "close":
            missing = selectors.missing_ballots(session)
            data = self.checked(CloseForm(post, missing=bool(missing)))
            dry_run(lambda: services.session_close(actor=user, session=session, **data))
            title, consequence = _("Kết thúc phiên họp"), close_consequence(session, missing)
            details = [str(m) for m in missing]
        elif action == "written":
            data = self.checked(WrittenBallotForm(post, session=session))
            dry_run(lambda: services.written_vote_record(secretary=user, session=session, **data))
            title = _("Ghi phiếu bằng văn bản: %(choice)s") % {
                "choice": Choice(data["choice"]).label
            }
            consequence = written_consequence(data["member"], data["nomination"], data["choice"])
        else:
            data = self.checked(BallotForm(post, session=session))
            dry_run(lambda: services.vote_cast(voter=user, session=session, **data))
            title = _("Biểu quyết: %(choice)s") % {"choice": Choice(data["choice"]).label}
            consequence = vote_consequence(data["nomination"], data["choice"])
        context = {
            **CampaignMixin.get_context_data(self),
            "title": title,
            "consequence": consequence,
            "details": details,
            "action_url": self.request.path,
            "back_url": reverse("votes:session", args=[self.campaign.code, session.pk]),
            "fields": posted_fields(self.request),
        }
        return render(self.request, "votes/confirm.html", context)

    def refused(
        self, action: str, session: CouncilSession, error: ValidationError | PermissionDenied
    ) -> HttpResponse:
        form = self.form
        if action in BALLOT_IDS and form is not None:
            return self.ballot_refused(action, session, form, error)
        if form is not None and self.shows_form(action, session):
            if not form.errors:  # valid, refused by the service
                refusal_beside(form, error, PAGE_FIELDS.get(action, {}))
            shown = {PAGE_FORMS[action]: form}
        else:
            shown = {"refused": refused_form(error)}
        return self.shown_again(**shown)

    def ballot_refused(
        self,
        action: str,
        session: CouncilSession,
        form: forms.Form,
        error: ValidationError | PermissionDenied,
    ) -> HttpResponse:
        """A refused ballot comes back in its nomination's row, its fields marked and as chosen;
        a ballot of no row the page draws, in the summary only."""
        nomination = form.cleaned_data.get("nomination")
        if nomination is None or not self.shows_ballot(action, session, nomination):
            return self.shown_again(refused=refused_form(error))
        if not form.errors:  # valid, refused by the service
            refusal_beside(form, error, BALLOT_FIELDS[action])
        form.auto_id = BALLOT_IDS[action].format(nomination.pk)
        return self.shown_again(
            refused=form,
            ballot_row=nomination.pk,
            vote_ballot=form if action == "vote" else None,
            written_ballot=form if action == "written" else None,
        )

    def shows_ballot(self, action: str, session: CouncilSession, nomination: Nomination) -> bool:
        """Whether the nomination's row draws the ballot of `action`: votes/_ballot.html draws
        the member's vote if `i_am_present` and not `voted`, the written vote for the secretary
        while someone is `absent` (`ballot_state`)."""
        if session.status != SessionStatus.VOTING:
            return False
        state = self.ballot_state(session, selectors.attendance_of(session))
        if action == "vote":
            return state["i_am_present"] and nomination.pk not in state["voted"]
        return state["is_secretary"] and bool(state["absent"])

    def shows_form(self, action: str, session: CouncilSession) -> bool:
        """Whether the session page draws the form of `action` (`shown_forms`)."""
        return action in PAGE_FORMS and self.shows(session).get(action, False)

    def checked(self, form: forms.Form) -> dict[str, Any]:
        """The form's data; the form is kept to be shown again if it or the service refuses."""
        self.form = form
        return cleaned(form)

    def act(self, action: str, session: CouncilSession, post: Any, user: Any) -> object:
        if action == "propose":
            data = self.checked(self.proposal_form(session, post))
            return services.proposal_create(actor=user, session=session, **data)
        if action == "attendance":
            present = set(post.getlist("present"))
            for row in selectors.attendance_of(session):  # the seats in force on its date
                services.attendance_set(
                    actor=user,
                    session=session,
                    user=row.user,
                    present=str(row.user_id) in present,
                )
        elif action == "nominate":
            data = self.checked(NominationForm(post, campaign=self.campaign))
            services.nomination_add(actor=user, session=session, **data)
        elif action == "prefill":
            award = self.checked(PrefillForm(post, campaign=self.campaign, auto_id=PREFILL_ID))[
                "award"
            ]
            made = services.nominations_prefill(actor=user, session=session, award=award)
            messages.success(self.request, _("Đã đề nghị %s đơn vị.") % len(made))
        elif action == "designate":
            data = self.checked(
                DesignationForm(post, campaign=self.campaign, auto_id=DESIGNATION_ID)
            )
            services.designation_add(actor=user, session=session, **data)
        elif action == "undesignate":
            designation = cleaned(UndesignateForm(post, session=session))["designation"]
            services.designation_remove(actor=user, designation=designation)
        elif action == "open":
            services.voting_open(actor=user, session=session)
        elif action == "close":
            missing = bool(selectors.missing_ballots(session))
            data = self.checked(CloseForm(post, missing=missing))
            services.session_close(actor=user, session=session, **data)
        elif action == "issue":
            data = self.checked(IssueForm(post, campaign=self.campaign))
            services.decision_issue(actor=user, session=session, **data)
        elif action == "publish":
            services.session_files_publish(actor=user, session=session)
        elif action in ("vote", "written"):
            self.vote(action, session, post, user)
        else:
            raise Http404

    def vote(self, action: str, session: CouncilSession, post: Any, user: Any) -> None:
        if action == "vote":
            data = self.checked(BallotForm(post, session=session))
            services.vote_cast(voter=user, session=session, **data)
        else:
            data = self.checked(WrittenBallotForm(post, session=session))
            services.written_vote_record(secretary=user, session=session, **data)
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
    """The award file of a closed session, as real downloads: the decision (.docx, .pdf), the
    minutes (.pdf), the tờ trình (.docx) and the biên bản kiểm phiếu (.docx)."""

    FILES = {
        ("quyet-dinh", "docx"): "quyet-dinh-khen-thuong",
        ("quyet-dinh", "pdf"): "quyet-dinh-khen-thuong",
        ("bien-ban", "pdf"): "bien-ban-hop-hoi-dong",
        ("to-trinh", "docx"): "to-trinh-de-nghi-khen-thuong",
        ("kiem-phieu", "docx"): "bien-ban-kiem-phieu",
    }
    LEGACY = {"docx": "quyet-dinh", "pdf": "bien-ban"}  # document.docx, document.pdf

    def get(
        self, request: HttpRequest, code: str, pk: int, fmt: str, doc: str = ""
    ) -> HttpResponse:
        doc = doc or self.LEGACY.get(fmt, "")
        if (doc, fmt) not in self.FILES:
            raise Http404
        session = self.closed_session()
        issued = self.issued_file(doc, fmt, session)
        if issued is not None:  # the PDF as issued: signed, byte for byte what /v/<code> checks
            return attachment(bytes(issued.content), content_type=PDF, filename=issued.file_name)
        if fmt == "pdf" and session.files_pending:  # no unsigned copy of an issued document
            messages.info(request, _("Tệp PDF đã ký số đang được chuẩn bị: tải lại sau ít phút."))
            return redirect("votes:session", code=code, pk=session.pk)
        outcomes = selectors.outcomes_of(session)
        attendance = selectors.attendance_of(session)
        content = self.render(doc, fmt, session, outcomes, attendance)
        return attachment(
            content,
            content_type=DOCX if fmt == "docx" else PDF,
            filename=f"{self.FILES[doc, fmt]}-{code}-{session.held_on:%Y%m%d}.{fmt}",
        )

    def issued_file(self, doc: str, fmt: str, session: CouncilSession) -> PublishedFile | None:
        if fmt != "pdf":
            return None
        file_id = session.decision_file_id if doc == "quyet-dinh" else session.minutes_file_id
        return PublishedFile.objects.filter(pk=file_id).first() if file_id else None

    def render(self, doc: str, fmt: str, session: CouncilSession, outcomes, attendance) -> bytes:  # type: ignore[no-untyped-def]
        if doc == "quyet-dinh":
            if fmt == "pdf":
                return documents.decision_pdf(session, outcomes)
            return documents.decision_docx(session, outcomes)
        if doc == "bien-ban":
            return documents.minutes_pdf(session, outcomes, attendance)
        if doc == "to-trinh":
            return documents.proposal_docx(session, outcomes, attendance)
        return documents.tally_docx(session, outcomes, attendance)


class ReportView(SessionMixin, View):
    """Báo cáo thành tích of one nominee for a campaign award (.docx, the decree's form)."""

    def get(self, request: HttpRequest, code: str, pk: int, nomination: int) -> HttpResponse:
        session = self.session()
        found = get_object_or_404(
            Nomination.objects.select_related("award", "enrolment__unit__parent", "session"),
            pk=nomination,
            session=session,
            award__period=Award.Period.CAMPAIGN,
        )
        return attachment(
            documents.report_docx(found),
            content_type=DOCX,
            filename=f"bao-cao-thanh-tich-{code}-{found.pk}.docx",
        )


@method_decorator(login_not_required, name="dispatch")
class CommendedView(TemplateView):
    """Public: the Điển hình tiên tiến the council chose, what its closed sessions passed, and
    the units leading their cụm/khối (computed) with the reasons."""

    template_name = "votes/commended.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        campaign = get_object_or_404(
            Campaign.objects.distinct(), code=self.kwargs["code"], scoring_runs__is_published=True
        )
        context.update(
            campaign=campaign,
            designations=selectors.designations_public(campaign),
            outcomes=selectors.commended(campaign),
            leading=selectors.leading_units(campaign),
        )
        return context


# The reference data: the award catalogue and the base salaries ----------------------------------

CATALOGUE_FIELDS = {
    "source": "source",
    "amount": "amount",
    "valid_from": "valid_from",
    "texts": "texts",
}


class CatalogueEditorMixin:
    """Only the province's emulation office (`services.may_edit_catalogue`) opens these pages."""

    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.may_edit_catalogue(request.user):  # type: ignore[arg-type]
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class CatalogueView(TemplateView):
    """The catalogue with its sources and history: read by every campaign manager, edited by the
    province's emulation office."""

    template_name = "votes/catalogue.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (user.is_superuser or is_campaign_manager(user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            may_edit=services.may_edit_catalogue(self.request.user),  # type: ignore[arg-type]
            terms=selectors.catalogue_terms(),
            salaries=BaseSalary.objects.select_related("edited_by"),
            conditions=selectors.award_conditions(),
            events=CatalogueEvent.objects.select_related("actor")[:50],
            ratios=selectors.province_ratios(),
            my_provinces=selectors.provinces_kept_by(self.request.user),  # type: ignore[arg-type]
            provinces=selectors.provinces(),
        )
        return context


class CatalogueFormView(CatalogueEditorMixin, InvalidFormStatusMixin, FormView):
    """A form whose valid data goes to one catalogue service; its refusal shows beside the
    field it is about (422)."""

    template_name = "votes/catalogue_form.html"
    title = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "title": self.title}

    def call_service(self, form: Any) -> object:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.call_service(form)
        except (ValidationError, PermissionDenied) as error:
            refusal_beside(form, error, CATALOGUE_FIELDS)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu, kèm căn cứ."))
        return redirect("votes:catalogue")


class CatalogueDownloadView(View):
    """The catalogue as CSV (the same file as `manage.py export_catalogue`); `?tinh=<id>`: as
    that province's councils apply it, with its own ratios (`--province`)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not (user.is_superuser or is_campaign_manager(user)):
            raise PermissionDenied
        province = None
        if request.GET.get("tinh"):
            pk = request.GET["tinh"]
            province = get_object_or_404(selectors.provinces(), pk=pk if pk.isdigit() else 0)
        response = HttpResponse(
            selectors.catalogue_csv(province).encode("utf-8-sig"),
            content_type="text/csv; charset=utf-8",
        )
        name = f"danh-muc-khen-thuong-{province.code}" if province else "danh-muc-khen-thuong"
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response


class ProvinceRatioView(InvalidFormStatusMixin, FormView):
    """The province's own ratio for an award from a date (`services.province_ratio_set`): only
    the province's officers (`units.manage_unit` on it) open it; another province's get 403."""

    template_name = "votes/catalogue_form.html"
    form_class = ProvinceRatioForm

    @cached_property
    def province(self) -> Any:
        return get_object_or_404(selectors.provinces(), pk=self.kwargs["pk"])

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("units.manage_unit", self.province):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        title = _("Tỷ lệ biểu quyết do %(province)s quy định") % {"province": self.province.name}
        return {**super().get_context_data(**kwargs), "title": title}

    def form_valid(self, form: ProvinceRatioForm) -> HttpResponse:
        try:
            services.province_ratio_set(
                actor=self.request.user,  # type: ignore[arg-type]
                province=self.province,
                **form.cleaned_data,
            )
        except (ValidationError, PermissionDenied) as error:
            refusal_beside(
                form, error, {"source": "source", "no_term": "award", "national_ratio": "award"}
            )
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu, kèm căn cứ."))
        return redirect("votes:catalogue")


class AwardTermEditView(CatalogueFormView):
    """One period of an award: its threshold (the province's own ratio, with its regulation) or
    its multiples, with the source (`services.award_term_update`)."""

    form_class = AwardNumbersForm

    @cached_property
    def term(self) -> AwardTerm:
        return get_object_or_404(AwardTerm.objects.select_related("award"), pk=self.kwargs["pk"])

    @property
    def title(self) -> str:  # type: ignore[override]
        return str(self.term)

    def get_initial(self) -> dict[str, Any]:
        term = self.term
        return {name: getattr(term, name) for name in services.AWARD_NUMBERS}

    def call_service(self, form: AwardNumbersForm) -> object:
        data = dict(form.cleaned_data)
        source, verified = data.pop("source"), data.pop("verified")
        return services.award_term_update(
            actor=self.request.user,  # type: ignore[arg-type]
            term=self.term,
            source=source,
            verified=verified,
            **data,
        )


class AwardTermStartView(CatalogueFormView):
    """A new period of an award, from the date a new text comes into force."""

    form_class = AwardTermStartForm

    @cached_property
    def term(self) -> AwardTerm:
        return get_object_or_404(AwardTerm.objects.select_related("award"), pk=self.kwargs["pk"])

    @property
    def title(self) -> str:  # type: ignore[override]
        return _("Thời kỳ mới: %(term)s") % {"term": self.term}

    def call_service(self, form: AwardTermStartForm) -> object:
        return services.award_term_start(
            actor=self.request.user,  # type: ignore[arg-type]
            term=self.term,
            **form.cleaned_data,
        )


class BaseSalaryView(CatalogueFormView):
    form_class = BaseSalaryForm
    title = _lazy("Mức lương cơ sở")

    def call_service(self, form: BaseSalaryForm) -> object:
        return services.base_salary_set(
            actor=self.request.user,  # type: ignore[arg-type]
            **form.cleaned_data,
        )


# The award ledger ---------------------------------------------------------------------------------


class LedgerMixin(ManagerRequiredMixin):
    """The ledger the manager's authority reads (`selectors.ledger_of`), filtered as asked."""

    request: HttpRequest

    def ledger_filter(self) -> LedgerFilter:
        entries = selectors.ledger_of(self.request.user)
        return LedgerFilter(
            self.request.GET or None,
            queryset=entries,
            units=selectors.ledger_units(entries),
        )


class LedgerListView(LedgerMixin, TemplateView):
    """The authority's award ledger: search without diacritics, filters, pages of 50."""

    template_name = "votes/ledger.html"
    paginate_by = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = self.ledger_filter()
        entries = filterset.qs if filterset.is_bound else filterset.queryset
        if filterset.is_bound and not filterset.is_valid():
            entries = entries.none()
        page = Paginator(entries, self.paginate_by).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=filterset,
            page_obj=page,
            entries=page.object_list,
            query=query,
            may_import=bool(managed_authorities(authority_root_ids(self.request.user))[:1]),
            events=selectors.ledger_events(authority_root_ids(self.request.user)),
        )
        return context


class LedgerExportView(LedgerMixin, View):
    """The entries the ledger page shows for the same filters (all of them), as .xlsx."""

    def get(self, request: HttpRequest) -> FileResponse:
        filterset = self.ledger_filter()
        entries = filterset.qs if filterset.is_bound else filterset.queryset
        if filterset.is_bound and not filterset.is_valid():
            entries = entries.none()
        target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        selectors.ledger_export(entries, target)
        target.seek(0)
        return FileResponse(
            target,
            as_attachment=True,
            filename="so-khen-thuong.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )


class LedgerUnitView(ManagerRequiredMixin, TemplateView):
    """A unit's awards across campaigns and years, for the managers of its authority (another
    authority's unit: 404)."""

    template_name = "votes/ledger_unit.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        unit = get_object_or_404(Unit, pk=self.kwargs["pk"])
        if not self.request.user.has_perm("units.manage_unit", unit):
            raise Http404
        context.update(unit=unit, entries=selectors.unit_awards(unit))
        return context


class LedgerImportView(ManagerRequiredMixin, InvalidFormStatusMixin, FormView):
    """Past awards from an `awards` sheet into one of the manager's authorities' ledger; a
    refused file shows why (sheet, row, column, reason) and changes nothing."""

    form_class = LedgerImportForm
    template_name = "votes/ledger_import.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        authorities = managed_authorities(authority_root_ids(self.request.user))
        return {**super().get_form_kwargs(), "authorities": authorities}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "sheet": ledger_sheet}

    def form_valid(self, form: LedgerImportForm) -> HttpResponse:
        try:
            result = ledger_sheet.awards_import(
                actor=self.request.user,  # type: ignore[arg-type]
                authority=form.cleaned_data["authority"],
                workbook_file=form.cleaned_data["file"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, refusal(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Đã nhập %(created)s khen thưởng vào sổ; %(unchanged)s dòng đã có từ trước.")
            % {"created": result.created, "unchanged": result.unchanged},
        )
        return redirect("votes:ledger")


# Proposals to the province ------------------------------------------------------------------------

PROPOSAL_FIELDS = {
    "return": {"reason": "reason"},
    "schedule": {"session": "session", "state": "session", "level": "session"},
    "send": {"round": "round"},
    "upload": {"document": "document"},
}


def may_read_proposals(user: Any) -> bool:
    return bool(user.is_superuser or is_campaign_manager(user))


class ProposalListView(TemplateView):
    """Hồ sơ đề nghị khen thưởng: a commune's own, and a province's inbox of its communes' sent
    files, filtered by round and status; late files marked."""

    template_name = "votes/proposals.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_read_proposals(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = ProposalFilterForm(self.request.GET or None, rounds=selectors.rounds_for(user))
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        chosen = data.get("round")
        proposals = selectors.proposal_inbox(
            user, round_id=chosen.pk if chosen else None, status=data.get("status", "")
        )
        context.update(form=form, rows=selectors.proposal_rows(proposals))
        return context


class ProposalRoundsView(TemplateView):
    """Đợt xét khen thưởng: the province's office opens a round with its deadline."""

    template_name = "votes/proposal_rounds.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_read_proposals(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def provinces(self) -> Any:
        return selectors.provinces_of_office(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        provinces = self.provinces()
        context.update(
            rounds=selectors.rounds_for(self.request.user),
            form=kwargs.get("form") or ProposalRoundForm(provinces=provinces),
            may_open=provinces.exists(),
        )
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        provinces = self.provinces()
        if not provinces.exists():  # the form is the province's office's only
            raise PermissionDenied
        form = ProposalRoundForm(request.POST, provinces=provinces)
        if form.is_valid():
            try:
                services.proposal_round_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except (ValidationError, PermissionDenied) as error:
                refusal_beside(form, error, {"name": "name", "level": "authority"})
            else:
                messages.success(request, _("Đã mở đợt xét."))
                return redirect("votes:proposal_rounds")
        context = self.get_context_data(form=form)
        return self.render_to_response(context, status=422)


class ProposalMixin:
    """The proposal in the URL, among those the user reads (else 404)."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_read_proposals(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    @cached_property
    def proposal(self) -> Any:
        return get_object_or_404(selectors.proposals_for(self.request.user), pk=self.kwargs["pk"])


class ProposalView(ProposalMixin, TemplateView):
    template_name = "votes/proposal.html"

    def roles(self) -> dict[str, bool]:
        """Which forms the page draws: the commune's while it may still change the file, the
        province's while the file waits for it."""
        proposal, user = self.proposal, self.request.user
        commune = user.has_perm(MANAGE_PERM, proposal.session.campaign) and (
            user.is_superuser or proposal.session.campaign.authority_id in user_unit_ids(user)
        )
        province = services.may_receive_proposals(user, proposal.province)  # type: ignore[arg-type]
        editable = proposal.status in ("draft", "returned")
        waiting = proposal.status == "sent"
        return {
            "send": commune and editable,
            "upload": commune and editable,
            "return": province and waiting,
            "schedule": province and waiting,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        proposal = self.proposal
        docs = selectors.proposal_documents(proposal)
        rounds = selectors.rounds_of(proposal.province)
        context.update(
            proposal=proposal,
            docs=docs,
            checklist=selectors.proposal_checklist(proposal, docs),
            nominations=selectors.proposal_nominations(proposal.session),
            events=selectors.proposal_events(proposal),
            shows=self.roles(),
            send_form=kwargs.get("send_form")
            or ProposalSendForm(rounds=rounds, initial={"round": proposal.round_id}),
            upload_form=kwargs.get("upload_form") or self.upload_form(docs),
            return_form=kwargs.get("return_form") or ProposalReturnForm(),
            schedule_form=kwargs.get("schedule_form")
            or ProposalScheduleForm(sessions=selectors.province_sessions_open(proposal.province)),
            refused=kwargs.get("refused"),
        )
        return context

    def upload_form(self, docs: list[Any], data: Any = None, files: Any = None) -> Any:
        return ProposalFileForm(data, files, documents=[(doc.key, doc.label) for doc in docs])


class ProposalActionView(ProposalView):
    """send, return, schedule, upload: one POST each; a refusal shows the page again (422) with
    the form and its errors."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        proposal = self.proposal
        shows = self.roles()
        if action not in shows:
            raise Http404
        if not shows[action]:
            error = PermissionDenied(_("Hồ sơ không chờ thao tác này của bạn."))
            return self.render_to_response(
                self.get_context_data(refused=refused_form(error)), status=422
            )
        form = self.bound_form(action, request)
        try:
            self.act(action, proposal, cleaned(form))
        except (ValidationError, PermissionDenied) as error:
            if not form.errors:
                refusal_beside(form, error, PROPOSAL_FIELDS[action])
            context = self.get_context_data(**{f"{action}_form": form})
            return self.render_to_response(context, status=422)
        return redirect("votes:proposal", pk=proposal.pk)

    def bound_form(self, action: str, request: HttpRequest) -> forms.Form:
        proposal = self.proposal
        if action == "send":
            return ProposalSendForm(request.POST, rounds=selectors.rounds_of(proposal.province))
        if action == "return":
            return ProposalReturnForm(request.POST)
        if action == "schedule":
            sessions = selectors.province_sessions_open(proposal.province)
            return ProposalScheduleForm(request.POST, sessions=sessions)
        docs = selectors.proposal_documents(proposal)
        return self.upload_form(docs, request.POST, request.FILES)

    def act(self, action: str, proposal: Any, data: dict[str, Any]) -> None:
        user = self.request.user
        if action == "send":
            services.proposal_send(actor=user, proposal=proposal, round=data["round"])  # type: ignore[arg-type]
            messages.success(self.request, _("Đã gửi hồ sơ lên cấp tỉnh."))
        elif action == "return":
            services.proposal_return(actor=user, proposal=proposal, reason=data["reason"])  # type: ignore[arg-type]
            messages.success(self.request, _("Đã trả lại hồ sơ, kèm lý do."))
        elif action == "schedule":
            services.proposal_schedule(actor=user, proposal=proposal, session=data["session"])  # type: ignore[arg-type]
            messages.success(self.request, _("Đã đưa hồ sơ ra phiên họp Hội đồng."))
        else:
            services.proposal_file_replace(
                actor=user,  # type: ignore[arg-type]
                proposal=proposal,
                document=data["document"],
                upload=data["file"],
            )
            messages.success(self.request, _("Đã thay văn bản bằng bản đã sửa."))


class ProposalDocumentView(ProposalMixin, View):
    """One document of the file: the edited version uploaded, else the one the portal writes."""

    def get(self, request: HttpRequest, pk: int, doc: str) -> HttpResponse:
        proposal = self.proposal
        found = next((d for d in selectors.proposal_documents(proposal) if d.key == doc), None)
        if found is None:
            raise Http404
        if found.upload is not None:
            return stored_file_response(found.upload)
        if not found.generated:
            raise Http404(_("Văn bản chưa có: tải lên bản đã soạn."))
        nominations = selectors.proposal_nominations(proposal.session)
        content = documents.proposal_document(proposal.session, doc, nominations)
        return attachment(
            content,
            content_type=XLSX if found.extension == "xlsx" else DOCX,
            filename=f"{doc}-{proposal.session.campaign.code}-{proposal.pk}.{found.extension}",
        )

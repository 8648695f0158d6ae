"""Forms of the self-assessment and review pages."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.forms import PersonChoiceField
from campaigns.models import Campaign, Criterion, CriterionKind
from campaigns.selectors import council_members
from core.forms import IdChoiceField
from core.templatetags.vi_formats import points
from units.models import Block, Unit

from .scores import check_score, parse_score
from .selectors import AssessmentRow

PASS, FAIL = _("Đạt"), _("Không đạt")


class PassFailField(forms.CharField):
    """A `yes_no` criterion as a choice: Đạt posts the maximum, Không đạt posts 0; a draft may
    leave it unanswered. The value stays a score, checked like any other."""

    def __init__(self, *, maximum: Decimal, **kwargs: Any) -> None:
        self.pass_value = str(maximum)
        choices = [(self.pass_value, PASS), ("0", FAIL)]
        super().__init__(widget=forms.RadioSelect(choices=choices), **kwargs)
        self.choices = choices

    def prepare_value(self, value: Any) -> Any:
        """A saved 5.00 or a typed "5" checks Đạt; anything else shows nothing checked."""
        try:
            number = parse_score(value)
        except ValidationError:
            return value
        if number is None:
            return ""
        if number == Decimal(self.pass_value):
            return self.pass_value
        return "0" if number == 0 else value


@dataclass(frozen=True)
class Line:
    """One row of the sheet with its fields (none for a section)."""

    row: AssessmentRow
    score: forms.BoundField | None
    text: forms.BoundField | None

    @property
    def is_pass_fail(self) -> bool:
        return self.row.criterion.kind == CriterionKind.YES_NO


class ScoreSheetForm(forms.Form):
    """A score and a text per criterion of the checklist. Every score is checked here as the
    services check it (assessments.scores), so each mistake shows beside its own box at once;
    the services check again."""

    text_name = "note"
    text_label = _("Giải trình")

    def __init__(
        self,
        data: Any = None,
        *,
        rows: list[AssessmentRow],
        campaign: Campaign,
        saved: dict[int, tuple[Decimal | None, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.rows, self.step = rows, campaign.score_step
        self.criteria: dict[str, Criterion] = {}
        for row in rows:
            if not row.is_section:
                self.add_row(row.criterion, *saved.get(row.criterion.pk, (None, "")))

    def add_row(self, criterion: Criterion, score: Decimal | None, text: str) -> None:
        label = f"{criterion.code}. {criterion.title}"
        name = f"score_{criterion.pk}"
        if criterion.kind == CriterionKind.YES_NO:
            self.fields[name] = PassFailField(
                maximum=criterion.max_points, label=label, required=False
            )
            self.initial[name] = score
        else:
            self.fields[name] = forms.CharField(label=label, required=False)
            self.initial[name] = points(score)
        self.fields[f"{self.text_name}_{criterion.pk}"] = forms.CharField(
            label=f"{self.text_label} {criterion.code}",
            required=False,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 1}),
        )
        self.initial[f"{self.text_name}_{criterion.pk}"] = text
        self.criteria[name] = criterion

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, criterion in self.criteria.items():
            try:
                value = parse_score(cleaned.get(name))
                if value is not None:
                    check_score(criterion=criterion, value=value, step=self.step, is_section=False)
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    @cached_property
    def lines(self) -> list[Line]:
        return [
            Line(row, None, None)
            if row.is_section
            else Line(
                row,
                self[f"score_{row.criterion.pk}"],
                self[f"{self.text_name}_{row.criterion.pk}"],
            )
            for row in self.rows
        ]

    def entries(self) -> dict[object, tuple[object, str]]:
        """{criterion id: (score, text)} for every row the form posted. A Đạt / Không đạt left
        unanswered posts nothing, so a row counts as posted by its score or by its text."""
        entries: dict[object, tuple[object, str]] = {}
        for name, criterion in self.criteria.items():
            text = f"{self.text_name}_{criterion.pk}"
            if name in self.data or text in self.data:
                entries[criterion.pk] = (
                    self.cleaned_data.get(name) or None,
                    self.cleaned_data.get(text, ""),
                )
        return entries

    def has_scores(self) -> bool:
        return any(score is not None for score, _text in self.entries().values())


class ReviewForm(ScoreSheetForm):
    """The reviewer's scores and comments, and the reason when the assessment goes back."""

    text_name = "comment"
    text_label = _("Nhận xét")

    reason = forms.CharField(
        label=_("Lý do trả lại (bắt buộc khi trả lại)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, data: Any = None, *, action: str = "save", **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.action = action

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.action == "return" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Phải nêu lý do trả lại."))
        return cleaned


class AssignmentForm(forms.Form):
    reviewer = PersonChoiceField(
        label=_("Người thẩm định"),
        queryset=User.objects.none(),
        help_text=_("Thành viên Hội đồng của phong trào. Không ai thẩm định đơn vị mình thuộc về."),
    )
    block = IdChoiceField(
        label=_("Khối thi đua"),
        queryset=Block.objects.none(),
        required=False,
        help_text=_("Chọn một khối hoặc một đơn vị, không chọn cả hai."),
    )
    unit = IdChoiceField(label=_("Hoặc một đơn vị"), queryset=Unit.objects.none(), required=False)
    stage = forms.TypedChoiceField(
        label=_("Vòng thẩm định"),
        coerce=int,
        choices=[(1, "1")],
        help_text=_(
            "Vòng 2 chỉ có khi phong trào có 2 vòng thẩm định; điểm vòng sau thay điểm vòng trước."
        ),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["reviewer"].queryset = council_members(campaign).order_by(  # type: ignore[attr-defined]
            "last_name", "first_name", "username"
        )
        fields["block"].queryset = Block.objects.filter(  # type: ignore[attr-defined]
            enrolments__campaign=campaign
        ).distinct()
        fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            enrolments__campaign=campaign
        ).order_by("name")
        fields["stage"].choices = [  # type: ignore[attr-defined]
            (n, str(n)) for n in range(1, campaign.review_stages + 1)
        ]

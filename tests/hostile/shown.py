"""Whether a refused form shows why, where the user looks: each field's message beside the field
(Bootstrap's `is-invalid` on the input of that name and the message in its `invalid-feedback`),
the form's own messages in its alert (the summary of templates/includes/form_errors.html), each
field's message there too with a link to the one element of the page that has the field's id
(the field marked: a list that draws one form a row gives each row's fields their own ids), every
message in Vietnamese; and never a refusal answered by a redirect with a flashed message.

The forms are those the page was rendered with (the test client keeps the templates' contexts):
every bound form with errors is one the user must see the errors of.
"""

from collections.abc import Iterator
from typing import Any

from django.contrib.messages import constants as message_levels
from django.forms import BaseForm, BoundField, RadioSelect
from django.http import HttpResponse
from django_filters import FilterSet
from lxml import html as lxml_html

# Pages with their own message: the error pages, the lockout page.
ERROR_TEMPLATES = {
    "400.html",
    "403.html",
    "403_csrf.html",
    "404.html",
    "413.html",
    "500.html",
    "registration/locked_out.html",
}
# The page that asks before an irreversible step when the dialog did not (no JavaScript): a
# question, not a refusal (core/confirm.py; the campaign, assessment and publish steps).
CONFIRMATION_TEMPLATE = "includes/confirm_page.html"
REPLACEMENT_CHARACTER = "\ufffd"
# How far up from a field its message may sit: crispy puts it in the field's wrapper, after the
# last radio of a group, or beside a file input.
NEAR = 4


def templates_of(response: HttpResponse) -> set[str]:
    return {template.name for template in getattr(response, "templates", []) if template.name}


def is_error_page(response: HttpResponse) -> bool:
    return bool(templates_of(response) & ERROR_TEMPLATES)


def is_confirmation(response: HttpResponse) -> bool:
    return CONFIRMATION_TEMPLATE in templates_of(response)


def error_messages(response: HttpResponse) -> list[str]:
    """The error messages the view flashed for the page it redirects to."""
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return [str(m) for m in queued if m.level >= message_levels.ERROR]


def redirected_refusal(response: HttpResponse) -> str:
    """A refusal answered by a redirect with a flashed message: the user lands on another page,
    the message away from the field, and the answer says 302, not 4xx."""
    flashed = "; ".join(said(message)[:60] for message in error_messages(response))
    return f"refused with a redirect and a flashed message (“{flashed}”), not a 4xx page"


def refused_forms(response: HttpResponse) -> list[BaseForm]:
    """The bound forms with errors the page was rendered with."""
    contexts = response.context or []
    if not isinstance(contexts, list):
        contexts = [contexts]
    found: dict[int, BaseForm] = {}
    for context in contexts:
        for value in context.flatten().values():
            form = value.form if isinstance(value, FilterSet) else value
            if isinstance(form, BaseForm) and form.is_bound and form.errors:
                found[id(form)] = form
    return list(found.values())


def printable(words: str) -> str:
    """The words as a reader sees them: whitespace collapsed, control characters (a NUL echoed
    back from a hostile value) left out, and so the replacement character the HTML parser and
    the browser show in their place."""
    kept = (c for c in words if (c.isprintable() or c.isspace()) and c != REPLACEMENT_CHARACTER)
    return " ".join("".join(kept).split())


def text(element: Any) -> str:
    return printable(element.text_content())


def said(message: Any) -> str:
    return printable(str(message))


def is_vietnamese(message: str) -> bool:
    """Every Vietnamese sentence the portal writes has a letter with a diacritic; Django's English
    defaults ("This field is required.") have none."""
    return any(not char.isascii() and char.isalpha() for char in message)


def alerts(page: Any) -> list[str]:
    return [text(e) for e in page.xpath("//*[@role='alert' or contains(@class, 'alert')]")]


def ancestors(element: Any) -> Iterator[Any]:
    for _ in range(NEAR):
        element = element.getparent()
        if element is None:
            return
        yield element


def has_class(element: Any, name: str) -> bool:
    return name in (element.get("class") or "").split()


def beside(page: Any, name: str, message: str) -> str | None:
    """Why the field `name` does not show `message` beside it; None when it does."""
    inputs = page.xpath("//*[@name=$name]", name=name)
    if not inputs:
        return "not on the page"
    # A page may hold several forms with a field of that name (one per row of a list): the one
    # refused is the one marked.
    marked = [e for e in inputs if has_class(e, "is-invalid")]
    if not marked:
        return "not marked is-invalid"
    for element in (above for field in marked for above in ancestors(field)):
        feedback = element.xpath(".//*[contains(@class, 'invalid-feedback')]")
        if any(message in text(f) for f in feedback):
            return None
    return "no invalid-feedback with the message beside it"


def linked(page: Any, bound: BoundField, message: str) -> str | None:
    """Why the summary's link for the field's message does not lead to the field marked; None
    when it does. The id it names is on one element of the page (a list draws one form a row:
    each row's fields have their own ids), the field marked or the group that holds it."""
    links = [
        link
        for link in page.xpath("//*[@data-form-errors]//a[@data-field=$name]", name=bound.html_name)
        if message in text(link.getparent())
    ]
    if not links:
        return "no link to its field in the summary"
    for link in links:
        targets = page.xpath("//*[@id=$id]", id=(link.get("href") or "").removeprefix("#"))
        if len(targets) > 1:
            return f"its link names the id of {len(targets)} elements"
        if not targets:  # a group of radios or checkboxes: static/js/forms.js finds it by name
            if isinstance(bound.field.widget, RadioSelect):
                continue
            return "its link names an id no element has"
        fields = [targets[0], *targets[0].iterdescendants()]
        if not any(f.get("name") == bound.html_name and has_class(f, "is-invalid") for f in fields):
            return "its link leads to an element that is not the field marked"
    return None


def unshown(response: HttpResponse) -> list[str]:
    """What a refused form page fails to show; [] when every error is where the user looks."""
    page = lxml_html.fromstring(response.content.decode(errors="replace") or "<html></html>")
    shown_alerts = alerts(page)
    forms = refused_forms(response)
    if not forms:  # refused without a form (a rule of the page): its message in an alert
        marked = page.xpath("//*[contains(@class, 'is-invalid')]")
        return [] if marked or any(shown_alerts) else ["no message and no field marked"]
    problems = []
    for form in forms:
        for error in form.non_field_errors():
            message = said(error)
            if not any(message in alert for alert in shown_alerts):
                problems.append(f"{type(form).__name__}: “{message[:60]}” in no alert")
            if not is_vietnamese(message):
                problems.append(f"{type(form).__name__}: “{message[:60]}” is not Vietnamese")
        for name, errors in form.errors.items():
            if name == "__all__" or name not in form.fields:
                continue
            bound = form[name]
            for error in errors:
                message = said(error)
                where = f"{type(form).__name__}.{name}"
                if not is_vietnamese(message):
                    problems.append(f"{where}: “{message[:60]}” is not Vietnamese")
                if bound.is_hidden:
                    if not any(message in alert for alert in shown_alerts):
                        problems.append(f"{where} (hidden): “{message[:60]}” in no alert")
                    continue
                why = beside(page, bound.html_name, message)
                if why:
                    problems.append(f"{where}: “{message[:60]}” {why}")
                if not any(message in alert for alert in shown_alerts):
                    problems.append(f"{where}: “{message[:60]}” not in the form's summary")
                elif not why and (unlinked := linked(page, bound, message)):
                    problems.append(f"{where}: “{message[:60]}” {unlinked}")
    return problems

"""No English in the Vietnamese interface, and no Vietnamese in the English one.

1. Every word a template shows (text between tags, and the attributes a person reads or hears:
   title, placeholder, alt, aria-label, a button's value, a confirmation's text) goes through
   {% translate %} or {% blocktranslate %}; so does every quoted word a template passes to a
   filter ({{ x|default:"..." }}). Numbers, punctuation, symbols and template variables need
   nothing; ALLOWED lists the few words that stay as they are, each with its reason.
2. Every message the code and the templates use has an English translation in
   locale/en/LC_MESSAGES/django.po: present, not empty, not fuzzy. A failure lists the missing
   msgids; `make messages` adds them to the catalogue and a translator fills them in.
"""

import ast
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import polib  # type: ignore[import-untyped]
from django.template.base import Lexer, TokenType
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Folders `make messages` ignores, and what is not ours.
NOT_SCANNED = {".venv", "static", "staticfiles", "node_modules", "locale", "media"}

# Words shown as they are in every language.
ALLOWED = {
    "CSV": "a file format's name",
    "Excel": "a program's name, for the .xlsx download",
    "PDF": "a file format's name",
}
ALLOWED_WORDS = re.compile(r"\b(?:" + "|".join(map(re.escape, ALLOWED)) + r")\b")
# Attributes a person reads (a tooltip, a placeholder) or a screen reader speaks.
VISIBLE_ATTRIBUTES = {
    "title",
    "placeholder",
    "alt",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "label",
    "data-confirm",
    "data-confirm-title",
}
BUTTON_TYPES = {"button", "submit", "reset"}
# Tags whose content is code, or names a person types or a file holds as they are (the
# workbook's sheet and column names).
CODE_TAGS = {"script", "style", "code", "kbd", "samp"}
# Filters whose quoted argument is shown as text; `|default:_("...")` is translated.
SHOWN_ARGUMENT = re.compile(
    r"""\|(?:default|default_if_none|yesno|pluralize):("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
)


def templates() -> Iterator[Path]:
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".html", ".txt"} and path.is_file():
                yield path


def has_words(text: str) -> bool:
    return any(character.isalpha() for character in text)


class VisibleText(HTMLParser):
    """Collects the text between tags and the visible attributes' values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in CODE_TAGS:
            self.in_code += 1
        values = dict(attrs)
        for name, value in attrs:
            shown = name in VISIBLE_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in BUTTON_TYPES
            )
            if shown and value:
                self.found.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in CODE_TAGS and self.in_code:
            self.in_code -= 1

    def handle_data(self, data: str) -> None:
        if not self.in_code:
            self.found.append(data)


def untranslated(source: str) -> list[str]:
    """The visible words of a template that no translate tag covers.

    Template tags and variables become a space (what they print is translated where it comes
    from); the text inside {% blocktranslate %} and {% comment %} is skipped; quoted words passed
    to a filter are reported unless marked _("...")."""
    html: list[str] = []
    skipping = None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            command = token.contents.split()[0] if token.contents else ""
            if skipping and command == skipping:
                skipping = None
            elif command in {"blocktranslate", "blocktrans"}:
                skipping = "end" + command
            elif command == "comment":
                skipping = "endcomment"
            html.append(" ")
        elif token.token_type == TokenType.VAR and not skipping:
            # A quoted fallback counts where it lands: shown in text, not in a class="".
            shown = [text[1:-1] for text in SHOWN_ARGUMENT.findall(token.contents)]
            html.append(f" {' '.join(shown)} ")
        elif token.token_type == TokenType.TEXT and not skipping:
            html.append(token.contents)
    parser = VisibleText()
    parser.feed("".join(html))
    parser.close()
    pieces = [" ".join(text.split()) for text in parser.found]
    return [text for text in pieces if has_words(ALLOWED_WORDS.sub("", text))]


def test_every_visible_word_in_the_templates_is_translated() -> None:
    found = {
        str(path.relative_to(ROOT)): words
        for path in templates()
        if (words := untranslated(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "wrap these in {% translate %} or {% blocktranslate %}"


def test_the_scan_sees_words_outside_translate_tags() -> None:
    """The test above proves something only if the scan finds what it should."""
    source = (
        '{% load i18n %}<p title="Open">Hello {{ name }}</p>'
        "<button>{% translate 'Lưu' %}</button>"
        "{% blocktranslate %}Xin chào {{ name }}{% endblocktranslate %}"
        '{{ day|default:"none" }}{{ day|default:_("chưa có") }}{{ day|date:"d/m/Y" }}'
        " 9,50 — 1/2 CSV"
        "<script>var x = 'code';</script>{# a note #}{% comment %}notes{% endcomment %}"
        "<p class=\"alert-{{ tag|default:'info' }}\"><code>unit_code</code></p>"
    )
    assert untranslated(source) == ["Open", "Hello", "none 9,50 — 1/2 CSV"]


# The catalogue --------------------------------------------------------------------------------

GETTEXT_CALLS = {
    # name: (index of the context argument or None, index of the msgid, index of the plural)
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
Message = tuple[str | None, str]  # (msgctxt, msgid)
LITERAL = re.compile(r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")
TEMPLATIZED_CALL = re.compile(
    rf"\b(?P<name>npgettext|ngettext|pgettext|gettext)\((?P<args>(?:\s*{LITERAL.pattern}\s*,?)+)"
)


def message_of(name: str, args: list[str]) -> Message | None:
    context, msgid, _plural = GETTEXT_CALLS[name]
    if len(args) <= msgid:
        return None
    return (args[context] if context is not None else None, args[msgid])


def python_messages(path: Path) -> Iterator[Message]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in GETTEXT_CALLS:
            continue
        args = []
        for arg in node.args:
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                break
            args.append(arg.value)
        if message := message_of(name, args):
            yield message


def template_messages(path: Path) -> Iterator[Message]:
    """What `makemessages` reads from a template: Django's templatize turns each translate tag
    into a gettext call with Python literals (the rest into filler letters)."""
    source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for call in TEMPLATIZED_CALL.finditer(source):
        args = [ast.literal_eval(literal) for literal in LITERAL.findall(call.group("args"))]
        if message := message_of(call.group("name"), args):
            yield message


def messages_in_use() -> dict[Message, str]:
    """Each message the portal uses, with the first file that uses it."""
    used: dict[Message, str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        if NOT_SCANNED & set(path.relative_to(ROOT).parts):
            continue
        for message in python_messages(path):
            used.setdefault(message, str(path.relative_to(ROOT)))
    for path in templates():
        for message in template_messages(path):
            used.setdefault(message, str(path.relative_to(ROOT)))
    return used


def test_the_english_catalogue_translates_every_message_in_use() -> None:
    catalogue = {
        (entry.msgctxt, entry.msgid): entry
        for entry in polib.pofile(str(CATALOGUE))
        if not entry.obsolete
    }
    missing, empty, fuzzy = [], [], []
    for message, where in sorted(messages_in_use().items(), key=lambda item: item[1]):
        entry = catalogue.get(message)
        shown = f"{where}: {message[1]!r}" + (f" (context {message[0]!r})" if message[0] else "")
        if entry is None:
            missing.append(shown)
        elif entry.fuzzy:
            fuzzy.append(shown)
        elif not (entry.msgstr or (entry.msgstr_plural and all(entry.msgstr_plural.values()))):
            empty.append(shown)
    report = [
        *(["not in the catalogue (run `make messages`, then translate):"] if missing else []),
        *missing,
        *(["empty msgstr:"] if empty else []),
        *empty,
        *(["fuzzy (check, then remove the flag):"] if fuzzy else []),
        *fuzzy,
    ]
    assert not report, "\n".join(["", *report])

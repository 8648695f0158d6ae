"""Messages of Django 5.2 that its Vietnamese catalogue leaves in English, marked here so that
`make messages` puts them in the portal's catalogue (locale/vi): Django looks a message up in the
portal's catalogue first (LOCALE_PATHS), so once translated there every form shows it in
Vietnamese. tests/hostile/ checks that every refused form speaks Vietnamese.

Nothing imports this module; it is read by makemessages only.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

MESSAGES = [
    # CharField refuses a NUL byte (ProhibitNullCharactersValidator).
    gettext_noop("Null characters are not allowed."),
    # MinimumLengthValidator: Django 5.2 changed the message, its catalogue has the old one.
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
]

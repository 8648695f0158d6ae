"""django-filter's model choice filter with the id check of `core.forms`."""

import django_filters
from django_filters import fields

from .forms import IdChoiceField


class IdFilterChoiceField(fields.ModelChoiceField, IdChoiceField):
    """django-filter's field (it knows the "none" choice) that refuses a malformed id."""


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = IdFilterChoiceField

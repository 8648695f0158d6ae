"""The empty choice of a select is in words: "— Chọn —" in a form, "— Tất cả —" in a filter;
never Django's "---------". Every form and filter class of the apps is checked, as the hostile
suite finds them (tests/hostile/doors.py)."""

import django_filters
import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from tests.factories import UnitFactory, kind, manager_of
from tests.hostile.doors import registered_form_classes

DASHES = "---------"


def empty_labels(form_class: type) -> dict[str, str]:
    """name -> the label of the field's empty choice, for the fields that have one."""
    found = {}
    if issubclass(form_class, django_filters.FilterSet):
        for name, flt in form_class.base_filters.items():
            if "empty_label" in flt.extra:
                found[name] = str(flt.extra["empty_label"])
        return found
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.ModelMultipleChoiceField):
            continue
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                found[name] = str(field.empty_label)
        elif isinstance(field, forms.ChoiceField):
            blank = [str(label) for value, label in field.choices if value == ""]
            if blank:
                found[name] = blank[0]
    return found


def test_no_form_or_filter_offers_djangos_dashes() -> None:
    dashes = [
        f"{name}.{field}"
        for name, form_class in registered_form_classes().items()
        for field, label in empty_labels(form_class).items()
        if label == DASHES
    ]
    assert dashes == []


def test_forms_say_choose_and_filters_say_all() -> None:
    labels = {
        name: empty_labels(form_class) for name, form_class in registered_form_classes().items()
    }
    assert labels["campaigns.forms.CampaignForm"]["template"] == "— Chọn —"
    assert labels["campaigns.forms.ConferenceForm"]["kind"] == "— Chọn —"  # a model's choices
    assert labels["units.filters.UnitFilter"]["kind"] == "— Tất cả —"


@pytest.mark.django_db
def test_the_new_campaign_page_shows_the_words(client: Client) -> None:
    client.force_login(manager_of(UnitFactory(kind=kind("huyen"))))
    page = client.get(reverse("campaigns:create")).content.decode()
    assert DASHES not in page
    assert "— Chọn —" in page

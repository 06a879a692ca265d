"""A higher app adds fields to a lower form and hears about the save; its refusal comes back
beside its own fields."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import RequestFactory

from silahap.sections import forms as form_extensions

POINT = "tests.form"


class BaseForm(forms.Form):
    title = forms.CharField()


@pytest.fixture
def extension():
    heard = []

    def saved(request, obj, values):
        if values["colour"] == "red":
            raise ValidationError({"colour": "not red"})
        heard.append((obj, values))

    form_extensions.add(
        POINT,
        name="tests.colour",
        fields=lambda request: {"colour": forms.CharField(required=False)},
        template="unused.html",
        saved=saved,
    )
    yield heard
    form_extensions.remove(POINT, name="tests.colour")


def test_the_extension_adds_its_fields_and_hears_the_save(extension):
    request = RequestFactory().get("/")
    form = BaseForm({"title": "x", "tests_colour__colour": "blue"})
    form_extensions.extend(form, POINT, request)
    assert form.is_valid()
    form_extensions.saved(form, request, "object")
    assert extension == [("object", {"colour": "blue"})]


def test_a_refusal_names_the_field_as_the_form_knows_it(extension):
    request = RequestFactory().get("/")
    form = BaseForm({"title": "x", "tests_colour__colour": "red"})
    form_extensions.extend(form, POINT, request)
    assert form.is_valid()
    with pytest.raises(ValidationError) as error:
        form_extensions.saved(form, request, "object")
    assert list(error.value.message_dict) == ["tests_colour__colour"]


def test_a_form_without_extensions_is_unchanged():
    form = BaseForm({"title": "x"})
    form_extensions.extend(form, "tests.nothing", RequestFactory().get("/"))
    assert list(form.fields) == ["title"]


def test_two_extensions_with_one_name_are_a_mistake(extension):
    with pytest.raises(ImproperlyConfigured):
        form_extensions.add(POINT, name="tests.colour", fields=dict, template="x.html", saved=print)


def test_a_picker_is_not_asked_for_a_post_that_carries_none_of_its_fields():
    asked = []

    def fields(request):
        asked.append(request.method)
        return {"choice": forms.ChoiceField(choices=[("a", "A")], required=False)}

    form_extensions.add(
        POINT,
        name="tests.picker",
        fields=fields,
        template="unused.html",
        saved=lambda request, obj, values: None,
        skip_unposted=True,
    )
    try:
        factory = RequestFactory()
        shown = BaseForm()
        form_extensions.extend(shown, POINT, factory.get("/"))  # the page shows it
        assert "tests_picker__choice" in shown.fields
        posted = {"title": "x", "tests_picker__choice": "b"}
        chosen = BaseForm(posted)
        form_extensions.extend(chosen, POINT, factory.post("/", posted))
        assert not chosen.is_valid()  # what it posts is still checked
        assert list(chosen.errors) == ["tests_picker__choice"]
        without = BaseForm({"title": "x"})
        form_extensions.extend(without, POINT, factory.post("/", {"title": "x"}))
        assert without.is_valid()
        assert "tests_picker__choice" not in without.fields
        assert form_extensions.bound_fields(without) == []
        assert asked == ["GET", "POST"]
    finally:
        form_extensions.remove(POINT, name="tests.picker")

"""The long <select>s (regencies on the places and sponsors lists and the sponsor form,
countries on the person forms) written in one pass: the same choices, selection and attributes
as Django's own Select."""

from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django import forms
from django.db.models.signals import post_init
from django.utils import translation
from django.utils.safestring import mark_safe

from silahap.formfields import PlainBoundField, PlainSelect
from silahap.registry.forms.areas import RegencyChoiceField
from silahap.registry.forms.persons import PersonSearchForm
from silahap.registry.forms.places import PlaceSearchForm
from silahap.registry.forms.sponsors import SponsorForm, SponsorSearchForm
from silahap.registry.forms.warnings import WarningFilterForm
from silahap.registry.models import Province, Regency

pytestmark = pytest.mark.django_db


class Options(HTMLParser):
    def __init__(self):
        super().__init__()
        self.select: dict = {}
        self.options: list = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "select":
            self.select = dict(attrs)
        elif tag == "option":
            self._open = {**dict(attrs), "label": ""}
            self.options.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open["label"] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self._open = None


def parsed(html: str) -> Options:
    parser = Options()
    parser.feed(str(html))
    return parser


class Both(forms.Form):
    plain = RegencyChoiceField(required=False, empty_label="Semua")
    django = RegencyChoiceField(required=False, empty_label="Semua", widget=forms.Select)


@pytest.mark.parametrize("chosen", [None, "36.71", "51.71"])
def test_the_plain_select_says_what_djangos_select_says(chosen):
    form = Both(data={"plain": chosen or "", "django": chosen or ""})
    plain, django = parsed(form["plain"]), parsed(form["django"])
    assert plain.options == django.options
    assert {k: v for k, v in plain.select.items() if k not in ("id", "name")} == {
        k: v for k, v in django.select.items() if k not in ("id", "name")
    }
    assert plain.select["name"] == "plain"
    assert plain.select["id"] == "id_plain"
    selected = [o["value"] for o in plain.options if "selected" in o]
    assert selected == [chosen or ""]
    assert len(plain.options) == Regency.objects.count() + 1
    tangerang = next(o for o in plain.options if o["value"] == "36.71")
    assert tangerang["label"] == "Kota Tangerang (Banten)"


def test_labels_and_values_are_escaped():
    widget = PlainSelect(choices=[('"><script>x</script>', "<b>Kota</b> & <i>co</i>")])
    html = widget.render("regency", '"><script>x</script>')
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;Kota&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt;" in html
    assert " selected>" in html


def test_a_sponsor_form_for_an_existing_sponsor_shows_its_regency_chosen():
    regency = Regency.objects.get(code="51.71")
    form = SponsorForm(initial={"regency": regency})
    selected = [o["value"] for o in parsed(form["regency"]).options if "selected" in o]
    assert selected == ["51.71"]


def test_a_chosen_code_still_cleans_to_its_regency_and_an_unknown_one_is_refused():
    form = PlaceSearchForm(data={"regency": "36.71"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["regency"] == Regency.objects.get(code="36.71")
    refused = PlaceSearchForm(data={"regency": "99.99"})
    assert not refused.is_valid()
    assert "regency" in refused.errors


def test_rendering_makes_no_regency_or_province_rows_into_objects(django_assert_max_num_queries):
    made = []

    def count(sender, **kwargs):
        made.append(sender)

    post_init.connect(count)
    try:
        with django_assert_max_num_queries(1):
            html = str(PlaceSearchForm()["regency"])
    finally:
        post_init.disconnect(count)
    assert html.count("<option") == Regency.objects.count() + 1
    assert not [model for model in made if model in (Regency, Province)]


def test_the_nationality_select_of_the_search_says_what_djangos_says():
    form = PersonSearchForm(data={"nationality": "CN"})
    field = form.fields["nationality"]
    django = parsed(forms.Select(choices=field.choices).render("nationality", "CN"))
    plain = parsed(form["nationality"])
    assert plain.options == django.options
    assert [o["value"] for o in plain.options if "selected" in o] == ["CN"]
    assert len(plain.options) > 200


def test_option_groups_are_refused_rather_than_flattened():
    widget = PlainSelect(choices=[("Asia", [("CN", "China"), ("JP", "Japan")])])
    with pytest.raises(TypeError, match="flat choices"):
        widget.render("country", "CN")


def test_a_label_already_declared_safe_is_not_escaped_twice():
    widget = PlainSelect(choices=[("a", mark_safe("Kota &amp; Kabupaten")), ("b", "A & B")])
    html = widget.render("regency", "a")
    assert ">Kota &amp; Kabupaten</option>" in html
    assert ">A &amp; B</option>" in html


def test_options_written_once_still_follow_the_choice_the_language_and_the_rows():
    # The options are written once per distinct choices and language (formfields._written): a
    # second rendering chooses its own option, speaks its own language and shows a row added since.
    province = Province.objects.get(code="36")
    first = parsed(PlaceSearchForm(data={"regency": "36.71"})["regency"])
    second = parsed(PlaceSearchForm(data={"regency": "51.71"})["regency"])
    assert [o["value"] for o in first.options if "selected" in o] == ["36.71"]
    assert [o["value"] for o in second.options if "selected" in o] == ["51.71"]
    unchosen = parsed(PlaceSearchForm()["regency"])
    assert [o["value"] for o in unchosen.options if "selected" in o] == [""]
    with translation.override("en"):
        english = parsed(PlaceSearchForm()["regency"])
    with translation.override("id"):
        indonesian = parsed(PlaceSearchForm()["regency"])
    assert english.options[0]["label"] == "Any"
    assert indonesian.options[0]["label"] == "Semua"
    Regency.objects.create(code="36.99", province=province, name="Kota <Baru>")
    added = parsed(PlaceSearchForm(data={"regency": "36.99"})["regency"])
    assert {"value": "36.99", "label": "Kota <Baru> (Banten)", "selected": None} in added.options
    assert len(added.options) == len(unchosen.options) + 1


def test_a_value_listed_twice_is_chosen_wherever_it_is_listed():
    widget = PlainSelect(choices=[("a", "A"), ("b", "B"), ("a", "A again")])
    chosen = parsed(widget.render("letter", "a"))
    assert [o["label"] for o in chosen.options if "selected" in o] == ["A", "A again"]
    assert [
        o["label"] for o in parsed(widget.render("letter", "b")).options if "selected" in o
    ] == ["B"]


def test_a_regency_field_narrowed_by_a_form_lists_only_its_own_regencies():
    form = PlaceSearchForm()
    form.fields["regency"].queryset = Regency.objects.filter(province_id="51").order_by("name")
    values = [o["value"] for o in parsed(form["regency"]).options]
    assert values[0] == ""
    assert values[1:]
    assert all(value.startswith("51.") for value in values[1:])
    # The next form's own field still lists every regency.
    assert len(parsed(PlaceSearchForm()["regency"]).options) == Regency.objects.count() + 1


class Odd(forms.Form):
    # The cases the one-pass field group hands to Django's templates, and one it writes.
    bound_field_class = PlainBoundField
    helped = forms.CharField(required=False, help_text="A <hint>")
    chosen = forms.MultipleChoiceField(
        required=False, choices=[("a", "A")], widget=forms.CheckboxSelectMultiple
    )
    asked = forms.CharField(required=False, label="Why & how?")
    unlabelled = forms.CharField(required=False, label="")


class Warnings(WarningFilterForm):
    # The permit warnings' filter, its offices named with markup to escape.
    def __init__(self, data=None, **kwargs):
        offices = [
            SimpleNamespace(pk=7, name="Kanim <Tangerang> & co"),
            SimpleNamespace(pk=9, name="B"),
        ]
        super().__init__(data, offices=offices, **kwargs)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"q": "a<b", "kind": "nonsense", "regency": "99.99"},
        {"kind": "hotel"},
        {"office": "9", "kind": "overstay"},
        {"office": "x<y"},
    ],
)
@pytest.mark.parametrize("form_class", [PlaceSearchForm, SponsorSearchForm, Warnings, Odd])
def test_a_field_group_written_in_one_pass_is_djangos_own(form_class, data, language):
    with translation.override(language):
        form = form_class(data)
        if data is not None:
            form.is_valid()
        for name in form.fields:
            plain = form[name].as_field_group()
            django = forms.BoundField.as_field_group(form[name])
            assert str(plain) == str(django), name
    if data and data.get("kind") == "nonsense" and form_class is PlaceSearchForm:
        assert 'id="id_kind_error"' in str(form["kind"].as_field_group())


def test_a_form_without_an_id_still_labels_its_fields():
    form = PlaceSearchForm(auto_id=False)
    assert str(form["q"].as_field_group()) == str(forms.BoundField.as_field_group(form["q"]))
    assert "<label" not in str(form["q"].as_field_group())

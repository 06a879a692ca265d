"""The person registry's pages: search, the person (reports adds their timeline: the slot
registry.person_detail), create and correct.

Every page that shows a person's record writes a person.view audit event with its purpose.
"""

from __future__ import annotations

import copy
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silahap import limits
from silahap.accounts import access
from silahap.audit import services as audit
from silahap.inputs import TermTooLong
from silahap.registry import links, queries, search, services
from silahap.registry.forms.persons import (
    DocumentForm,
    PermitForm,
    PersonCreateForm,
    PersonForm,
    PersonSearchForm,
    PurposeForm,
)
from silahap.registry.models import ForeignNational, LodgingStay
from silahap.registry.purposes import ViewPurpose
from silahap.registry.views import paging

# A search ranks at most this many persons; a longer list means the query should be sharper.
SEARCH_RESULTS = 200
PAGE_SIZE = 20
# Where a link into a person's record may come from ("activity/12"), making its purpose
# "supervision"; the kinds are those the layers above provide (silahap.registry.links).
IMPLIED_SOURCE = re.compile(r"^([a-z]{1,20})/([0-9]{1,18})$")


# The search counts up to this many (see CappedPaginator).
COUNT_LIMIT = paging.COUNT_LIMIT


def _apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError beside the form's fields (or above them)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _persons(request):
    return ForeignNational.objects.visible_to(request.user)


def _with_related(queryset):
    return queryset.select_related("sponsor").prefetch_related("documents", "permits")


@require_GET
def person_search(request):
    """Find persons by name or document number, narrowed by nationality, permit status,
    sponsor and place; results ranked by the search, in pages."""
    access.require_staff(request.user)
    form = PersonSearchForm(request.GET or None)
    context = {"form": form, "page": None, "min_length": search.MIN_QUERY_LENGTH}
    if not form.is_valid() or not (form.cleaned_data["q"] or form.filters_used()):
        return render(request, "registry/person_search.html", context)
    data = form.cleaned_data
    too_short = [
        name
        for name in ("q", "sponsor", "place")
        if data[name] and len(data[name]) < search.MIN_QUERY_LENGTH
    ]
    if too_short:
        for name in too_short:
            form.add_error(
                name,
                _("Type at least %(n)d characters.") % {"n": search.MIN_QUERY_LENGTH},
            )
        return render(request, "registry/person_search.html", context)
    try:
        persons = queries.persons_filtered(
            _persons(request),
            on=timezone.localdate(),
            nationality=data["nationality"],
            permit_status=data["permit_status"],
            sponsors=queries.sponsors_named(request.user, data["sponsor"])
            if data["sponsor"]
            else None,
            places=queries.places_named(request.user, data["place"]) if data["place"] else None,
        )
        ids = search.search_person_ids(persons, data["q"], SEARCH_RESULTS) if data["q"] else []
    except TermTooLong as error:
        # The form's max_length says so first; this is the search's own bound (defence in depth).
        form.add_error(None, error.message)
        return render(request, "registry/person_search.html", context, status=400)
    if data["q"]:
        page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
        by_pk = {p.pk: p for p in _with_related(persons.filter(pk__in=page.object_list))}
        results = [by_pk[pk] for pk in page.object_list if pk in by_pk]
    else:
        page = paging.CappedPaginator(
            _with_related(persons).order_by("full_name", "pk"), PAGE_SIZE, limit=COUNT_LIMIT
        ).get_page(request.GET.get("page"))
        # Read once: the template's len(page) would otherwise run the page's query again.
        page.object_list = results = list(page.object_list)
    for person in results:
        person.latest_permit = queries.latest_permit(person)
        person.permit_status = (
            person.latest_permit.status(timezone.localdate()) if person.latest_permit else None
        )
    audit.record(
        action="person.search",
        actor=request.user,
        summary={
            "query_length": len(data["q"]),
            "filters": form.filters_used(),
            "results": page.paginator.count,
            "page": page.number,
        },
        # Committed with the page, sealed into the chain by the next sealer (another commit's,
        # or the scheduler's within a minute), as the API's reads are: sealing here cost 6
        # queries on whichever request came 0.25 s after the process's last seal, so the
        # slower the page, the more often it sealed (9 queries at 100k activities, 15 at 1M).
        seal_after_commit=False,
    )
    context.update(
        page=page,
        results=results,
        by_document=bool(data["q"]) and search.is_document_query(data["q"]),
        count_limit=COUNT_LIMIT,
        more_than_limit=page.paginator.count > COUNT_LIMIT,
        create_url=reverse("registry:person_create")
        + ("?" + urlencode({"full_name": data["q"]}) if data["q"] else ""),
    )
    return render(request, "registry/person_search.html", context)


def _implied_purpose(request, person: ForeignNational) -> str | None:
    """ "activity/12" or "report/3": supervision, when that activity or report is one the user
    may open and the person was checked in it. Anything else implies nothing."""
    match = IMPLIED_SOURCE.match(request.GET.get("from", ""))
    if match is None:
        return None
    kind, pk = match.group(1), int(match.group(2))
    return f"{kind}/{pk}" if links.came_from(kind, request.user, person, pk) else None


@require_GET
def person_detail(request, pk: int):
    """A person's record and timeline; the purpose of opening it is asked unless implied."""
    person = get_object_or_404(queries.person_for_page(_persons(request)), pk=pk)
    if person.merged_into is not None:  # selected with the person: no query
        messages.info(request, _("This record was merged into the one shown here."))
        target = person.merged_into.get_absolute_url()
        return redirect(f"{target}?{request.GET.urlencode()}" if request.GET else target)
    source = _implied_purpose(request, person)
    if source is not None:
        purpose = ViewPurpose.SUPERVISION
    elif request.GET.get("purpose") in ViewPurpose.values:
        purpose = request.GET["purpose"]
    else:
        # Nothing of the record is shown before the purpose is known.
        return render(
            request,
            "registry/person_purpose.html",
            {"form": PurposeForm(), "action": request.path},
        )
    audit.record(
        action="person.view",
        actor=request.user,
        target=person,
        purpose=purpose,
        summary={"from": source} if source else {},
    )
    today = timezone.localdate()
    permits = list(person.permits.all())
    for permit in permits:
        permit.current_status = permit.status(today)  # type: ignore[attr-defined]  # for the page
        permit.days_overstayed = permit.overstay_days(today)  # type: ignore[attr-defined]
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "purpose": ViewPurpose(purpose),
            "documents": list(person.documents.all()),
            "permits": permits,
            "latest_permit": queries.latest_permit(person),
            "stays": list(LodgingStay.objects.visible_to(request.user).for_timeline(person)),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def person_create(request):
    """Register a foreigner; a document already registered leads to its person instead."""
    access.require_staff(request.user)
    if request.method == "POST":
        form = PersonCreateForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                result = services.person_create(by=request.user, **data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                if not result.created:
                    messages.info(
                        request,
                        _("This document is already registered: here is the person holding it."),
                    )
                    return redirect(result.person.get_absolute_url())
                messages.success(request, _("The person was registered."))
                return redirect(_after_write(result.person))
        status = 422
    else:
        form = PersonCreateForm(
            initial={"full_name": request.GET.get("full_name", "")[: limits.NAME]}
        )
        status = 200
    return render(request, "registry/person_create.html", {"form": form}, status=status)


def _after_write(person: ForeignNational) -> str:
    query = urlencode({"purpose": ViewPurpose.DATA_CORRECTION})
    return f"{person.get_absolute_url()}?{query}"


def _current_person_or_404(request, pk: int) -> ForeignNational:
    return get_object_or_404(
        queries.person_for_page(_persons(request)), pk=pk, merged_into__isnull=True
    )


def _edit_page(request, person, *, form=None, document_form=None, permit_form=None, status=200):
    """The correction page shows the record, so opening it is a view for data correction."""
    audit.record(
        action="person.view",
        actor=request.user,
        target=person,
        purpose=ViewPurpose.DATA_CORRECTION,
        summary={"page": "edit"},
    )
    return render(
        request,
        "registry/person_update.html",
        {
            "person": person,
            "form": form or PersonForm(instance=person),
            "document_form": document_form
            or DocumentForm(prefix="document", initial={"issuing_country": person.nationality}),
            "permit_form": permit_form
            or PermitForm(prefix="permit", initial={"sponsor": person.sponsor_id}),
            "documents": list(person.documents.all()),
            "permits": list(person.permits.all()),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def person_update(request, pk: int):
    """Correct a person's identity; documents and permits are added beside it."""
    person = _current_person_or_404(request, pk)
    if request.method == "GET":
        return _edit_page(request, person)
    # A copy: the form writes into its instance, and the page shows the record as stored.
    form = PersonForm(request.POST, instance=copy.copy(person))
    if form.is_valid():
        changes = {field: form.cleaned_data[field] for field in PersonForm.Meta.fields}
        try:
            services.person_update(by=request.user, person=person, **changes)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The record was corrected."))
            return redirect(_after_write(person))
    return _edit_page(request, person, form=form, status=422)


@require_POST
def document_add(request, pk: int):
    person = _current_person_or_404(request, pk)
    form = DocumentForm(request.POST, prefix="document")
    if form.is_valid():
        try:
            services.document_add(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The travel document was added."))
            return redirect(_after_write(person))
    return _edit_page(request, person, document_form=form, status=422)


@require_POST
def permit_add(request, pk: int):
    person = _current_person_or_404(request, pk)
    form = PermitForm(request.POST, prefix="permit")
    if form.is_valid():
        try:
            services.permit_add(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The stay permit was added."))
            return redirect(_after_write(person))
    return _edit_page(request, person, permit_form=form, status=422)

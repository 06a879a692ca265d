from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from silahap.accounts import access
from silahap.areas.models import District as District
from silahap.areas.models import Province as Province
from silahap.areas.models import Regency as Regency
from silahap.areas.models import Village as Village
from silahap.idempotency.models import IdempotentModel, once_per_key
from silahap.registry.countries import NationalityCountries

# A permit this close to its end is shown as expiring (issue "Registry I").
EXPIRING_WITHIN_DAYS = 30


class PermitType(models.TextChoices):
    ITK = "ITK", _("ITK (visit stay permit)")
    ITAS = "ITAS", _("ITAS (limited stay permit)")
    ITAP = "ITAP", _("ITAP (permanent stay permit)")
    DIPLOMATIC = "DIPLOMATIC", _("Diplomatic stay permit")
    SERVICE = "SERVICE", _("Service stay permit")
    AFFIDAVIT = "AFFIDAVIT", _("Affidavit (dual-nationality child)")


class NationalityField(CountryField):
    """ISO 3166 alpha-2 nationality, plus XA (stateless, ICAO XXA) and ZZ (unknown, ICAO XXX)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("countries", NationalityCountries)
        super().__init__(*args, **kwargs)


class VisaIndex(models.Model):
    """A visa / stay-permit index code (e.g. C312, E33G), an editable reference table."""

    code = models.CharField(_("index code"), max_length=10, unique=True)
    permit_type = models.CharField(_("permit type"), max_length=12, choices=PermitType.choices)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("visa index")
        verbose_name_plural = _("visa indexes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(permit_type__in=PermitType.values), name="visa_index_permit_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class SponsorQuerySet(models.QuerySet):
    def visible_to(self, user) -> SponsorQuerySet:
        """The sponsor registry is national for immigration staff; partners see none."""

        return self if access.is_immigration_staff(user) else self.none()


class Sponsor(models.Model):
    """An Indonesian individual or a corporation responsible for foreigners (penjamin)."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        CORPORATION = "corporation", _("Corporation")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    # NIK (16 digits) for an individual, NIB (13 digits) for a corporation.
    identity_number = models.CharField(_("NIK / NIB"), max_length=20, blank=True)
    address = models.TextField(_("address"), blank=True)
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Bumped by every save, so integrators can sync with ?updated_since= (the API).
    updated_at = models.DateTimeField(auto_now=True)

    objects = SponsorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")
        # The sponsors list's order: its page is the first rows of this index, not a sort of
        # every sponsor.
        indexes = [models.Index(fields=["name", "id"], name="sponsor_by_name")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["individual", "corporation"]),
                name="sponsor_kind_valid",
            ),
            models.UniqueConstraint(
                fields=["kind", "identity_number"],
                condition=~models.Q(identity_number=""),
                name="sponsor_identity_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def point_is_valid() -> models.Q:
    """A point is both coordinates in range, or neither: a NULL half would make the range test
    NULL, which a CHECK constraint accepts."""
    return (models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True)) | (
        models.Q(latitude__isnull=False, longitude__isnull=False)
        & models.Q(latitude__gte=-90, latitude__lte=90)
        & models.Q(longitude__gte=-180, longitude__lte=180)
    )


class PlaceKind(models.TextChoices):
    HOTEL = "hotel", _("Hotel")
    APARTMENT = "apartment", _("Apartment")
    BOARDING_HOUSE = "boarding_house", _("Boarding house (kos)")
    RESIDENCE = "residence", _("Residence")
    VILLA = "villa", _("Villa")
    COMPANY = "company", _("Company office")
    FACTORY = "factory", _("Factory")
    INDUSTRIAL_ESTATE = "industrial_estate", _("Industrial estate")
    PROJECT_SITE = "project_site", _("Project site")
    ENTERTAINMENT = "entertainment", _("Entertainment venue")
    SPA_SALON = "spa_salon", _("Spa / salon")
    RESTAURANT = "restaurant", _("Restaurant")
    SCHOOL = "school", _("School / campus")
    WORSHIP = "worship", _("Place of worship")
    MALL = "mall", _("Mall")
    OTHER = "other", _("Other")


class PlaceQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlaceQuerySet:
        """The place registry is national for immigration staff; partners see none directly."""

        return self if access.is_immigration_staff(user) else self.none()


class Place(IdempotentModel):
    """A place under supervision: hotel, company, industrial estate, residence, ..."""

    Kind = PlaceKind

    name = models.CharField(_("name"), max_length=200)
    normalized_name = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    address = models.TextField(_("address"), blank=True)
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="places", verbose_name=_("regency/city")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("district"),
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("village"),
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_places"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Bumped by every save, so integrators can sync with ?updated_since= (the API).
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        indexes = [
            models.Index(fields=["latitude", "longitude"]),
            # Duplicate detection walks current places with a point, name by name.
            models.Index(
                fields=["normalized_name"],
                condition=models.Q(merged_into__isnull=True, latitude__isnull=False),
                name="place_duplicate_block",
            ),
            # The places list's order over current places: its page is the first rows of this
            # index, not a sort of every place.
            models.Index(
                fields=["name", "id"],
                condition=models.Q(merged_into__isnull=True),
                name="place_by_name",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=PlaceKind.values),
                name="place_kind_valid",
            ),
            once_per_key("created_by", name="place_once_per_key"),
            models.CheckConstraint(
                condition=point_is_valid(),
                name="place_point_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")), name="place_not_merged_into_self"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:place_detail", args=[self.pk])


class PairDecisionQuerySet(models.QuerySet):
    def among(self, pks) -> PairDecisionQuerySet:
        """Decisions about pairs whose both records are among `pks`."""
        pks = list(pks)
        return self.filter(first__in=pks, second__in=pks)


class PlacePairDecision(models.Model):
    """Two place records judged to be different places: the pair is not proposed again."""

    first = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = PairDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("not-a-duplicate decision (places)")
        verbose_name_plural = _("not-a-duplicate decisions (places)")
        indexes = [models.Index(fields=["second"], name="place_pair_second")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="place_pair_ordered"
            ),
            models.UniqueConstraint(fields=["first", "second"], name="place_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        """One national registry for immigration staff (DESIGN.md §3); partners see none here."""

        return self if access.is_immigration_staff(user) else self.none()


class ForeignNational(models.Model):
    """A foreign national (orang asing) in the one national registry."""

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")
        UNSPECIFIED = "X", _("Unspecified")

    full_name = models.CharField(_("full name"), max_length=200)
    # Lower-case, accents removed, words sorted: what typo-tolerant search compares.
    normalized_name = models.CharField(max_length=200, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNSPECIFIED)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    nationality = NationalityField(_("nationality"))
    occupation = models.CharField(_("occupation"), max_length=150, blank=True)
    address = models.TextField(_("address in Indonesia"), blank=True)
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sponsor = models.ForeignKey(
        Sponsor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name=_("sponsor"),
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_persons"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Derived, for the permit warnings (silahap.registry.warnings): a million persons cannot be
    # read through their permits and checks one by one. Every write to permits or checks keeps
    # them with refresh_warning_columns in its own transaction; never set them anywhere else.
    permit_valid_until = models.DateField(null=True, blank=True, editable=False)
    # No index of its own: person_warning_by_check serves the reads, and one more index on the
    # table would be one more insert on every write of these columns.
    last_check_office = models.ForeignKey(
        "accounts.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="+", db_index=False,
    )  # fmt: skip

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("foreign national")
        verbose_name_plural = _("foreign nationals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sex__in=["M", "F", "X"]), name="person_sex_valid"
            ),
            models.CheckConstraint(condition=~models.Q(full_name=""), name="person_has_name"),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")), name="person_not_merged_into_self"
            ),
        ]
        indexes = [
            # Duplicate detection walks current persons block by block (same nationality and
            # date of birth) in this order; see silahap.registry.duplicates.
            models.Index(
                fields=["nationality", "birth_date", "normalized_name"],
                condition=models.Q(merged_into__isnull=True, birth_date__isnull=False),
                name="person_duplicate_block",
            ),
            # The permit warnings per office: persons attributed by their latest check, and
            # (never checked by an office) by address, each in order of their permit's end.
            models.Index(
                fields=["last_check_office", "permit_valid_until"],
                condition=models.Q(
                    merged_into__isnull=True,
                    last_check_office__isnull=False,
                    permit_valid_until__isnull=False,
                ),
                name="person_warning_by_check",
            ),
            models.Index(
                fields=["regency", "permit_valid_until"],
                condition=models.Q(
                    merged_into__isnull=True,
                    last_check_office__isnull=True,
                    permit_valid_until__isnull=False,
                ),
                name="person_warning_by_address",
            ),
            # The search page without a name typed lists current persons by name, page by page:
            # walked in this order, a filter stops after a page's worth of matches.
            models.Index(
                fields=["full_name", "id"],
                condition=models.Q(merged_into__isnull=True),
                name="person_by_name",
            ),
            # Its permit filters (valid, expiring, expired) and their counts: one range of the
            # end of the person's latest permit, kept on the person.
            models.Index(
                fields=["permit_valid_until"],
                condition=models.Q(merged_into__isnull=True),
                name="person_by_permit_end",
            ),
            models.Index(
                fields=["nationality", "full_name", "id"],
                condition=models.Q(merged_into__isnull=True),
                name="person_by_nationality",
            ),
            # The lookup's persons of its best names, a few of each in pk order (search._named):
            # a range of this index per name, however many bear it.
            models.Index(
                fields=["normalized_name", "id"],
                condition=models.Q(merged_into__isnull=True),
                name="person_by_normalized_name",
            ),
            # A lookup narrowed by nationality or birth year counts a name's persons within
            # them (search.names_table): a range of this index per name.
            models.Index(
                fields=["normalized_name", "nationality", "birth_date"],
                condition=models.Q(merged_into__isnull=True),
                name="person_by_name_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("registry:person_detail", args=[self.pk])


class PersonPairDecision(models.Model):
    """Two person records judged to be different people: the pair is not proposed again."""

    first = models.ForeignKey(ForeignNational, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(ForeignNational, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = PairDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("not-a-duplicate decision (persons)")
        verbose_name_plural = _("not-a-duplicate decisions (persons)")
        indexes = [models.Index(fields=["second"], name="person_pair_second")]
        constraints = [
            # One row per unordered pair: the smaller pk always comes first.
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="person_pair_ordered"
            ),
            models.UniqueConstraint(fields=["first", "second"], name="person_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


class TravelDocument(models.Model):
    """A passport or other travel document; number + issuing country identify it worldwide."""

    class Kind(models.TextChoices):
        PASSPORT = "passport", _("Passport")
        TRAVEL_DOCUMENT = "travel_document", _("Travel document (SPLP / refugee)")
        ID_CARD = "id_card", _("Identity card")
        OTHER = "other", _("Other")

    person = models.ForeignKey(ForeignNational, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PASSPORT)
    number = models.CharField(_("document number"), max_length=20)
    issuing_country = NationalityField(_("issuing country"))
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Bumped by every save, so integrators can sync with ?updated_since= (the API).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-expiry_date"]
        verbose_name = _("travel document")
        verbose_name_plural = _("travel documents")
        indexes = [models.Index(fields=["number"])]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "issuing_country"], name="travel_document_number_country_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^[A-Z0-9]{1,20}$"),
                name="travel_document_number_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.issuing_country})"


class StayPermit(models.Model):
    """A stay permit (ITK, ITAS, ITAP, ...) with its validity and sponsor."""

    person = models.ForeignKey(ForeignNational, on_delete=models.PROTECT, related_name="permits")
    permit_type = models.CharField(_("permit type"), max_length=12, choices=PermitType.choices)
    visa_index = models.ForeignKey(
        VisaIndex, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("visa index")
    )
    number = models.CharField(_("permit number"), max_length=40, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    sponsor = models.ForeignKey(
        Sponsor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="permits",
        verbose_name=_("sponsor"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Bumped by every save, so integrators can sync with ?updated_since= (the API).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-valid_until"]
        verbose_name = _("stay permit")
        verbose_name_plural = _("stay permits")
        indexes = [models.Index(fields=["valid_until"]), models.Index(fields=["number"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(permit_type__in=PermitType.values), name="stay_permit_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(issued_on__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("issued_on")),
                name="stay_permit_valid_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_permit_type_display()} {self.number}".strip()

    def status(self, on: datetime.date) -> str:
        """valid, expiring (within 30 days), expired, or unknown (no validity recorded)."""
        if self.valid_until is None:
            return "unknown"
        if self.valid_until < on:
            return "expired"
        if (self.valid_until - on).days <= EXPIRING_WITHIN_DAYS:
            return "expiring"
        return "valid"

    def overstay_days(self, on: datetime.date) -> int:
        return max(0, (on - self.valid_until).days) if self.valid_until else 0


from silahap.registry.models_imports import *  # noqa: E402,F401,F403
from silahap.registry.models_names import *  # noqa: E402,F401,F403
from silahap.registry.models_warnings import *  # noqa: E402,F401,F403

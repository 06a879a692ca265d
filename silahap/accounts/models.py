from __future__ import annotations

import datetime
import zoneinfo
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from silahap.accounts.validators import validate_nip


class OrgUnitKind(models.TextChoices):
    DIRECTORATE_GENERAL = "directorate_general", _("Directorate General")
    REGIONAL_OFFICE = "regional_office", _("Regional office (Kanwil)")
    IMMIGRATION_OFFICE = "immigration_office", _("Immigration office (Kanim)")
    SECTION = "section", _("Section")
    TEAM = "team", _("Team")


class OfficeClass(models.TextChoices):
    I_KHUSUS = "I_khusus", _("Class I Khusus")
    I = "I", _("Class I")  # noqa: E741 — the official class name
    II = "II", _("Class II")
    III = "III", _("Class III")


class OfficeTimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (Asia/Jakarta)")
    WITA = "Asia/Makassar", _("WITA (Asia/Makassar)")
    WIT = "Asia/Jayapura", _("WIT (Asia/Jayapura)")


class OrgUnitQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrgUnitQuerySet:
        """Immigration staff see the whole tree (names are not personal data); others own units."""
        from silahap.accounts import access  # noqa: PLC0415 — accounts.access imports these models

        if access.is_immigration_staff(user):
            return self
        return self.filter(pk__in=[m.unit_id for m in access.current_memberships(user)])

    def subtree_of(self, unit: OrgUnit) -> OrgUnitQuerySet:
        return self.filter(path__startswith=unit.path)


class OrgUnit(models.Model):
    """A node of the organisation: Ditjen → Kanwil → Kantor Imigrasi → section → team."""

    Kind = OrgUnitKind
    OfficeClass = OfficeClass
    TimeZone = OfficeTimeZone

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # The immigration office this unit belongs to (itself for an office); none above offices.
    office = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="office_units"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    # Materialised path of primary keys ("/1/4/9/"): a subtree is one indexed prefix match.
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    office_class = models.CharField(max_length=10, choices=OfficeClass.choices, blank=True)
    is_tpi = models.BooleanField(_("TPI (has an immigration checkpoint)"), null=True, blank=True)
    timezone = models.CharField(
        max_length=20, choices=OfficeTimeZone.choices, default=OfficeTimeZone.WIB, blank=True
    )
    report_deadline = models.TimeField(
        _("daily report deadline (local time)"), null=True, blank=True
    )
    work_area = models.ManyToManyField(
        "areas.Regency", blank=True, related_name="offices", verbose_name=_("work area")
    )
    is_active = models.BooleanField(default=True)

    # Bumped by every save, so integrators can sync with ?updated_since= (the API).
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        indexes = [
            models.Index(
                fields=["path"], name="orgunit_path_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrgUnitKind.values), name="orgunit_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True, kind="directorate_general")
                | models.Q(parent__isnull=False),
                name="orgunit_only_directorate_is_root",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="immigration_office")
                | (models.Q(report_deadline__isnull=False) & ~models.Q(office_class="")),
                name="orgunit_office_has_class_and_deadline",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone or OrgUnit.TimeZone.WIB)

    def local_today(self) -> datetime.date:
        return timezone.localdate(timezone=self.zone)

    def is_within(self, other: OrgUnit) -> bool:
        """True when this unit is `other` or below it."""
        return self.path.startswith(other.path)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user) -> AgencyQuerySet:
        """The list of agencies is reference data: everyone signed in reads it."""
        return self if user.is_authenticated else self.none()

    def active(self) -> AgencyQuerySet:
        return self.filter(is_active=True)


class Agency(models.Model):
    """A partner agency of Timpora (Polri, TNI, Satpol PP, Disnaker, BNN, ...): reference data a
    national administrator extends in the admin. An account with no agency is immigration staff."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["position", "short_name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(condition=~models.Q(code=""), name="agency_has_code"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


def validate_agency_code(value: str) -> None:
    """An account's agency is a row of the agency table (blank: immigration staff)."""
    if value and not Agency.objects.filter(code=value).exists():
        raise ValidationError(_("Unknown agency: choose one from the list."), code="agency")


class UserQuerySet(models.QuerySet):
    def visible_to(self, user) -> UserQuerySet:
        """A user sees themself; supervisors see everyone currently a member in their subtrees."""
        from silahap.accounts import access  # noqa: PLC0415 — accounts.access imports these models

        if user.is_superuser:
            return self
        scopes = access.supervised_units(user) + access.administered_units(user)
        members = Membership.objects.current().filter(access.subtree_q(scopes)).values("user_id")
        return self.filter(models.Q(pk=user.pk) | models.Q(pk__in=members))

    def administered_by(self, user) -> UserQuerySet:
        """Accounts an administrator manages: every membership not yet ended (current or future)
        lies inside their administered subtrees, or there is none; never a superuser."""
        from silahap.accounts import access  # noqa: PLC0415 — accounts.access imports these models

        if user.is_superuser:
            return self
        scopes = access.administered_units(user)
        if not scopes:
            return self.none()
        outside = Membership.objects.standing().exclude(access.subtree_q(scopes)).values("user_id")
        return self.filter(is_superuser=False).exclude(pk__in=outside)


def password_mark_of(password_hash: str) -> str:
    return salted_hmac(
        "silahap.accounts.User.password_mark", password_hash, algorithm="sha256"
    ).hexdigest()


class SilahapUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]  # a named class: migrations find it
    pass


class User(AbstractUser):
    """An immigration officer, a leader, an analyst, an administrator or a partner-agency member."""

    full_name = models.CharField(_("full name"), max_length=200)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[validate_nip],
        help_text=_("18-digit civil servant number"),
    )
    rank = models.CharField(_("rank"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The code of a row of Agency; a code, not a foreign key, so that `user.agency` stays a plain
    # string read on every request (is_partner) without a join. Checked by the validator.
    agency = models.CharField(
        _("agency"), max_length=20, blank=True, validators=[validate_agency_code]
    )
    account_expires_on = models.DateField(_("account expires on"), null=True, blank=True)
    # Raised to end every session of the account at its next request (a lost phone's device
    # reset), at no cost per request: it is part of the session hash Django checks anyway.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # A keyed digest of the password hash an office administrator chose for this account. While it
    # matches, the administrator knows the password, so the account may not take a role that reads
    # reports; any new password (the person's own, through a reset link) has a new salt and hash.
    password_mark = models.CharField(max_length=64, blank=True, editable=False)
    # Who typed the current email address, when it was an office administrator: reset links go
    # there, so that administrator may control the account and does not make it a reader.
    email_set_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    email_mark = models.CharField(max_length=64, blank=True, editable=False)

    objects: ClassVar[SilahapUserManager] = SilahapUserManager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["nip"], condition=~models.Q(nip=""), name="user_nip_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(nip="") | models.Q(nip__regex=r"^[0-9]{18}$"),
                name="user_nip_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_session_auth_hash(self) -> str:
        password_hash = super().get_session_auth_hash()
        if not self.session_epoch:
            return password_hash  # sessions from before the epoch existed stay valid
        return salted_hmac(
            "silahap.accounts.User.session_epoch",
            f"{password_hash}:{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_partner(self) -> bool:
        return bool(self.agency)

    def password_known_to_administrator(self) -> bool:
        return bool(self.password_mark) and constant_time_compare(
            self.password_mark, password_mark_of(self.password)
        )

    def email_chosen_by(self, administrator) -> bool:
        """True while the email is still the one `administrator` typed."""
        return (
            self.email_set_by_id == administrator.pk
            and bool(self.email_mark)
            and constant_time_compare(self.email_mark, password_mark_of(f"email:{self.email}"))
        )

    def is_expired(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.account_expires_on is not None and self.account_expires_on < on


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    LEADER = "leader", _("Leader")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")
    PARTNER = "partner", _("Partner-agency member")


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> MembershipQuerySet:
        """Memberships in force on a day: started, and not yet ended (transfers, Plh/Plt)."""
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=on)
        )

    def standing(self, on: datetime.date | None = None) -> MembershipQuerySet:
        """Memberships not yet ended: current ones and those that start later."""
        on = on or timezone.localdate()
        return self.filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=on))


class Membership(models.Model):
    """A user's role in a unit for a period; history stays when people move or act for others."""

    Role = Role

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    is_acting = models.BooleanField(
        _("acting (Plh/Plt)"),
        default=False,
        help_text=_("An acting leader (Plh/Plt) holds the role while the membership is current."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user", "-start_date"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["user", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(is_acting=False) | models.Q(role="leader"),
                name="membership_only_leaders_act",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"

"""Standing teams (Timpora per level, task forces), their members and coordination meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from silahap.accounts import access
from silahap.accounts.models import Agency, OrgUnit
from silahap.idempotency.models import IdempotentModel, once_per_key
from silahap.operations import visibility
from silahap.registry.models import District, Province, Regency


class TeamKind(models.TextChoices):
    TIMPORA = "timpora", _("Timpora (foreigner supervision team)")
    TASK_FORCE = "task_force", _("Task force (gugus tugas)")


class TeamLevel(models.TextChoices):
    # Permenimipas 2/2025 Art. 53: Timpora at province, regency/city and district level.
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency/city")
    DISTRICT = "district", _("District")


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user) -> TeamQuerySet:
        """Supervisors of its unit or above, and its members (partners: only as members).
        The same as visibility.may_read_team, one object at a time."""
        return self.filter(self._visible_q(user))

    @staticmethod
    def _visible_q(user) -> models.Q:
        nothing = models.Q(pk__in=[])
        if user is None or not user.is_authenticated or not user.is_active:
            return nothing
        if user.is_superuser:
            return models.Q()
        member = models.Q(pk__in=TeamMember.objects.filter(user=user).values("team_id"))
        if access.is_partner(user):
            return member if visibility.partner_in_force(user) else nothing
        if not access.is_immigration_staff(user):
            return nothing
        return member | access.subtree_q(access.supervised_units(user))


class Team(IdempotentModel):
    """A standing team formed by decree for a mandate period, linked to an official area."""

    Kind = TeamKind
    Level = TeamLevel

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="standing_teams", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=TeamKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=TeamLevel.choices)
    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    agencies = models.ManyToManyField(
        Agency, blank=True, related_name="teams", verbose_name=_("member agencies")
    )
    decree_number = models.CharField(_("decree number"), max_length=100)
    decree_date = models.DateField(_("decree date"))
    mandate_start = models.DateField(_("mandate from"))
    mandate_end = models.DateField(_("mandate until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("standing team")
        verbose_name_plural = _("standing teams")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=TeamKind.values), name="team_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=TeamLevel.values), name="team_level_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(mandate_end__gte=models.F("mandate_start")),
                name="team_mandate_ends_after_start",
            ),
            # The area matches the level: a province team names a province, and so on.
            models.CheckConstraint(
                condition=models.Q(level="province", province__isnull=False)
                | models.Q(level="regency", regency__isnull=False)
                | models.Q(level="district", district__isnull=False),
                name="team_area_matches_level",
            ),
            once_per_key("created_by", name="team_once_per_key"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("operations:team_detail", args=[self.pk])

    @property
    def area(self):
        return self.district or self.regency or self.province


class TeamMember(models.Model):
    """A person on a standing team: immigration staff (agency blank) or a partner's member."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.CharField(_("agency"), max_length=20, blank=True)
    position = models.CharField(_("position in the team"), max_length=100, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "agency", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.team} — {self.user}"


class Meeting(IdempotentModel):
    """A coordination meeting (rapat koordinasi) of a standing team."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings")
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("coordination meeting")
        verbose_name_plural = _("coordination meetings")
        constraints = [once_per_key("recorded_by", name="meeting_once_per_key")]

    def __str__(self) -> str:
        return f"{self.team} {self.held_at:%Y-%m-%d}"


class MeetingAttendance(models.Model):
    """How many came from one agency (blank: immigration), and who."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.CharField(_("agency"), max_length=20, blank=True)
    present = models.PositiveSmallIntegerField(_("present"))
    names = models.CharField(_("names"), max_length=500, blank=True)

    class Meta:
        ordering = ["agency"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="attendance_once_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency or 'imigrasi'}: {self.present}"


class Decision(models.Model):
    """A decision of a meeting; with an owner and a due date it is a follow-up item."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.CharField(_("decision"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner__isnull=True, due_date__isnull=True)
                | models.Q(owner__isnull=False, due_date__isnull=False),
                name="decision_item_has_owner_and_due_date",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_item(self) -> bool:
        return self.owner_id is not None

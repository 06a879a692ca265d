"""Indonesia's administrative areas (Kemendagri codes): the reference data org units' work areas
and the registry's places point at.

The tables were created by the registry app and keep its names (`registry_province`, ...), see
migrations/0001_initial.py.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """A province, keyed by its Kemendagri code (e.g. 36 = Banten)."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        db_table = "registry_province"  # created by the registry app, moved here
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{2}$"), name="province_code_format"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    """A regency (kabupaten) or city (kota), code like 36.71."""

    code = models.CharField(max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    name = models.CharField(max_length=100)

    class Meta:
        db_table = "registry_regency"  # created by the registry app, moved here
        ordering = ["code"]
        verbose_name = _("regency/city")
        verbose_name_plural = _("regencies/cities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{2}\.[0-9]{2}$"), name="regency_code_format"
            )
        ]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A district (kecamatan), code like 36.71.01."""

    code = models.CharField(max_length=8, primary_key=True)
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(max_length=100)

    class Meta:
        db_table = "registry_district"  # created by the registry app, moved here
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$"),
                name="district_code_format",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """A village (desa / kelurahan), code like 36.71.01.1001."""

    code = models.CharField(max_length=13, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(max_length=100)

    class Meta:
        db_table = "registry_village"  # created by the registry app, moved here
        ordering = ["code"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"),
                name="village_code_format",
            )
        ]

    def __str__(self) -> str:
        return self.name

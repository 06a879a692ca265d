import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def validate_nip(value: str) -> None:
    """Check an NIP: 18 digits = birth date (8) + recruitment month (6) + sex (1) + sequence (3)."""
    if not value:
        return
    if len(value) != 18 or not value.isdigit():
        raise ValidationError(_("An NIP has exactly 18 digits."), code="nip_format")
    try:
        birth = datetime.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ValidationError(
            _("The first 8 digits of an NIP must be a birth date (YYYYMMDD)."), code="nip_birth"
        ) from None
    year, month = int(value[8:12]), int(value[12:14])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("Digits 9–14 of an NIP must be the recruitment year and month (YYYYMM)."),
            code="nip_recruitment",
        )
    recruited = datetime.date(year, month, 1)
    today = timezone.localdate()
    if birth.year < 1940 or birth > today:
        raise ValidationError(_("The birth date in this NIP is not plausible."), code="nip_birth")
    age_at_recruitment = year - birth.year - ((month, 1) < (birth.month, birth.day))
    if recruited > today or not 17 <= age_at_recruitment <= 60:
        raise ValidationError(
            _("The recruitment date in this NIP is not plausible for its birth date."),
            code="nip_recruitment",
        )
    if value[14] not in "12":
        raise ValidationError(
            _("Digit 15 of an NIP must be 1 (male) or 2 (female)."), code="nip_sex"
        )

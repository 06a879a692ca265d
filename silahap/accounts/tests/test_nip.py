import pytest
from django.core.exceptions import ValidationError

from silahap.accounts.validators import validate_nip


@pytest.mark.parametrize("nip", ["198503142010121001", "199001012015032002", ""])
def test_plausible_nips_pass(nip):
    validate_nip(nip)


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19850314201012100", "nip_format"),
        ("19850314201012100A", "nip_format"),
        ("198502302010121001", "nip_birth"),
        ("193001012010121001", "nip_birth"),
        ("198503142010131001", "nip_recruitment"),
        ("198503141990121001", "nip_recruitment"),
        ("198503142090121001", "nip_recruitment"),
        ("198503142010123001", "nip_sex"),
    ],
)
def test_implausible_nips_are_refused_with_a_reason(nip, code):
    with pytest.raises(ValidationError) as raised:
        validate_nip(nip)
    assert raised.value.code == code

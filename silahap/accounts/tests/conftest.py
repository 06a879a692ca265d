import pytest

from silahap.accounts.tests.helpers import ROLES


@pytest.fixture
def second_factor_on(settings):
    """The second factor required of the leader, the analyst and the admin."""
    settings.SILAHAP_SECOND_FACTOR_ROLES = ROLES
    return settings

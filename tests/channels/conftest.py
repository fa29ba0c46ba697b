import pytest

from lapor.channels.apikeys import Issued, apikey_create
from tests.factories import World


@pytest.fixture
def integration(world: World) -> Issued:
    """A local complaint app of the Sleman government: files reports and reads its agency's."""
    return apikey_create(agency=world.pemda, name="Aplikasi Lapor Sleman", permissions=["submit", "read"])

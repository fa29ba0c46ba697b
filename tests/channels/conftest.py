from collections.abc import Iterator
from typing import Any

import pytest

from lapor.channels.apikeys import Issued, apikey_create
from tests.channels.helpers import SECRET, Gateway
from tests.factories import World


@pytest.fixture
def integration(world: World) -> Issued:
    """A local complaint app of the Sleman government: files reports and reads its agency's."""
    return apikey_create(agency=world.pemda, name="Aplikasi Lapor Sleman", permissions=["submit", "read"])


@pytest.fixture
def gateway(settings: Any) -> Iterator[Gateway]:
    """An SMS gateway on 127.0.0.1, configured as LAPOR's, with the shared secret of `signed`."""
    g = Gateway()
    settings.LAPOR_SMS_GATEWAY_URL = g.url
    settings.LAPOR_SMS_SHARED_SECRET = SECRET
    yield g
    g.server.shutdown()

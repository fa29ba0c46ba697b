import pytest

from lapor.audit.models import AuditEntry
from lapor.reports.models import Report
from lapor.reports.workflow import Status
from tests.factories import World, report_in


@pytest.fixture
def handled(world: World) -> Report:
    """A report taken to `closed` through the services: verifier, agency admin and reporter acted."""
    return report_in(world, Status.CLOSED)


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))

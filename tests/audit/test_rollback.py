"""The entry lives and dies with the act it records."""

import pytest
from django.db import transaction

from lapor.agencies.models import Membership, Role
from lapor.agencies.services import membership_add
from lapor.audit.models import AuditEntry, AuditHead
from lapor.audit.verify import verify_chain
from lapor.core.errors import ApplicationError
from lapor.reports import services
from lapor.reports.events import report_event_recorded
from lapor.reports.models import Report
from lapor.reports.workflow import Status
from tests.factories import World, submit

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_a_failing_listener_undoes_the_action_and_its_entry(world: World) -> None:
    report = submit(world).report

    def fail(**kwargs: object) -> None:
        raise Boom  # a listener after the audit one fails inside the action's transaction

    report_event_recorded.connect(fail, dispatch_uid="test-boom")
    try:
        with pytest.raises(Boom):
            services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
    finally:
        report_event_recorded.disconnect(dispatch_uid="test-boom")
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED
    assert not AuditEntry.objects.exists()
    assert AuditHead.objects.get().seq == 0
    # and the next action continues from the genesis hash as if nothing happened
    services.report_route(report=report, agency=world.pemda, actor=world.viewer("verifier"))
    assert list(AuditEntry.objects.values_list("seq", "action")) == [(1, "report.route")]
    assert verify_chain().ok


def test_an_outer_rollback_takes_the_entry_with_it(world: World) -> None:
    with pytest.raises(Boom), transaction.atomic():
        membership_add(
            actor=world.viewer("admin_pemda"), agency=world.pemda, username="citizen", role=Role.AGENCY_ADMIN
        )
        assert AuditEntry.objects.filter(action="membership.add").count() == 1
        raise Boom
    assert not Membership.objects.filter(user=world.citizen).exists()
    assert not AuditEntry.objects.exists()
    assert verify_chain().ok


def test_a_refused_action_writes_nothing(world: World) -> None:
    report = submit(world).report
    # an agency admin may not route a report that is not addressed to them
    with pytest.raises(ApplicationError):
        services.report_route(report=report, agency=world.pemda, actor=world.viewer("admin_pln"))
    assert not AuditEntry.objects.exists()

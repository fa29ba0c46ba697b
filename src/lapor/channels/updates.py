"""Open311's servicerequestupdates, pushed in (mySociety extension): an integration relays what
happened on its side. The key's capacities on the report decide what it means: the system that filed
the report speaks for the reporter (more information while on hold, a reply to an answer); a key of
the handling agency posts a follow-up. A repeated `update_id_ext` is stored once."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import QueryDict

from lapor.channels.apikeys import viewer_for_key
from lapor.channels.models import ApiKey, IdempotencyRecord, Permission
from lapor.core import clock
from lapor.core.errors import Forbidden, Invalid
from lapor.reports import services
from lapor.reports.models import TimelineEvent
from lapor.reports.selectors import report_get
from lapor.reports.workflow import Actor, Status

__all__ = ["update_push"]

ENDPOINT = "open311:servicerequestupdates"


def update_push(*, key: ApiKey, form: QueryDict) -> TimelineEvent:
    request_id = form.get("service_request_id", "").strip()
    description = form.get("description", "").strip()
    if not request_id:
        raise Invalid("service_request_id wajib diisi.", code="required", field="service_request_id")
    if not description:
        raise Invalid("description wajib diisi.", code="required", field="description")
    external = form.get("update_id_ext", "").strip()[:200]
    caller = f"key:{key.pk}"
    if external and (
        seen := IdempotencyRecord.objects.filter(caller=caller, endpoint=ENDPOINT, key=external).first()
    ):
        return TimelineEvent.objects.get(pk=int(bytes(seen.body).decode()))
    viewer = viewer_for_key(key)
    access = report_get(viewer=viewer, tracking_id=request_id)
    report = access.report
    if Actor.REPORTER in access.capacities:
        if not key.allows(Permission.SUBMIT):
            raise Forbidden("api_key ini tidak boleh mengirim tanggapan pelapor.")
        if report.status == Status.ON_HOLD:
            event = services.report_provide_info(report=report, actor=viewer, message=description)
        elif report.status in {Status.RESPONDED, Status.CLOSED}:
            action = services.report_reply if report.status == Status.RESPONDED else services.report_reopen
            event = action(report=report, actor=viewer, message=description)
        else:
            raise Invalid("Laporan sedang ditangani; tanggapan pelapor belum dapat ditambahkan.")
    elif access.capacities & {Actor.AGENCY_ADMIN, Actor.UNIT_OFFICER}:
        event = services.report_respond(report=report, actor=viewer, message=description)
    else:
        raise Forbidden("api_key ini tidak berwenang menambahkan pembaruan pada laporan ini.")
    if external:
        now = clock.now()
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(
                    caller=caller,
                    endpoint=ENDPOINT,
                    key=external,
                    fingerprint="",
                    status_code=201,
                    body=str(event.pk).encode(),
                    created_at=now,
                    expires_at=now + timedelta(days=365),
                )
        except IntegrityError:
            pass
    return event

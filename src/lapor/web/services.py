"""Writes the console makes to its own configuration: response templates. An agency admin manages
the templates of the agencies they administer; nobody else may (fails closed with NotFound)."""

from django.db import IntegrityError, transaction

from lapor.agencies.access import Viewer
from lapor.agencies.models import Agency
from lapor.audit.services import audit_record
from lapor.core.errors import Conflict, Forbidden, NotFound
from lapor.reports.selectors import ReportAccess
from lapor.reports.services._validate import required_text
from lapor.reports.workflow import Actor
from lapor.web.models import ResponseTemplate

__all__ = [
    "response_template_create",
    "response_template_delete",
    "response_template_update",
    "response_templates_for",
    "response_templates_for_report",
]


def response_templates_for(*, viewer: Viewer, agency_ids: set[int] | None = None) -> list[ResponseTemplate]:
    """Templates of the agencies the viewer administers (optionally only some of them)."""
    ids = set(viewer.admin_agency_ids) if agency_ids is None else agency_ids & viewer.admin_agency_ids
    return list(ResponseTemplate.objects.filter(agency_id__in=ids).select_related("agency"))


def response_templates_for_report(*, access: ReportAccess) -> list[ResponseTemplate]:
    """The handling agency's templates, for its admins and the officers of its units."""
    report = access.report
    if report.agency_id is None or not access.capacities & {Actor.AGENCY_ADMIN, Actor.UNIT_OFFICER}:
        return []
    return list(ResponseTemplate.objects.filter(agency_id=report.agency_id))


def _template(viewer: Viewer, pk: int) -> ResponseTemplate:
    found = ResponseTemplate.objects.filter(pk=pk, agency_id__in=viewer.admin_agency_ids).first()
    if found is None:
        raise NotFound("Templat tidak ditemukan.")
    return found


def _audit(action: str, actor: Viewer, template: ResponseTemplate) -> None:
    audit_record(
        action=action,
        actor=actor.user,
        target_type="response_template",
        target_id=template.pk,
        payload={"agency": template.agency_id, "title": template.title},
    )


def _save(template: ResponseTemplate, *, actor: Viewer) -> ResponseTemplate:
    action = "template.update" if template.pk else "template.create"
    try:
        with transaction.atomic():
            template.save()
            _audit(action, actor, template)
    except IntegrityError as exc:
        raise Conflict(
            "Judul templat sudah dipakai di instansi ini.", code="duplicate", field="title"
        ) from exc
    return template


def response_template_create(*, actor: Viewer, agency: Agency, title: str, body: str) -> ResponseTemplate:
    if agency.pk not in actor.admin_agency_ids:
        raise Forbidden("Anda bukan admin instansi ini.", field="agency")
    return _save(
        ResponseTemplate(
            agency=agency,
            title=required_text(title, field="title")[:120],
            body=required_text(body, field="body", minimum=10),
        ),
        actor=actor,
    )


def response_template_update(*, actor: Viewer, pk: int, title: str, body: str) -> ResponseTemplate:
    template = _template(actor, pk)
    template.title = required_text(title, field="title")[:120]
    template.body = required_text(body, field="body", minimum=10)
    return _save(template, actor=actor)


def response_template_delete(*, actor: Viewer, pk: int) -> None:
    template = _template(actor, pk)
    with transaction.atomic():
        _audit("template.delete", actor, template)
        template.delete()

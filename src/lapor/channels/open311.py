"""Open311 GeoReport v2 as LAPOR speaks it: one service per category, the attributes each service
asks for, the form of a POSTed request turned into a `ReportDraft`, the status mapping and the shape
of a request and of an update. HTTP and the XML/JSON formats live in `lapor.api.open311`.

Nothing here ever reads `ReporterIdentity`: an Open311 record has no reporter in it at all."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lapor.agencies.models import Category
from lapor.core.errors import Invalid
from lapor.reports.models import Kind, Report, TimelineEvent
from lapor.reports.services import ReportDraft
from lapor.reports.workflow import Status

__all__ = [
    "CHANGESET",
    "OPEN311_STATUS",
    "Attribute",
    "definition_of",
    "draft_from_form",
    "parse_w3c",
    "request_out",
    "service_out",
    "status_of",
    "update_out",
    "with_status_notes",
]

# Bump when the service list or a definition changes, so clients refresh their caches.
CHANGESET = "2026-11-29T00:00:00+07:00"
# The base spec knows only open and closed: everything still owed an answer or a confirmation is open.
OPEN311_STATUS: dict[str, str] = {
    Status.SUBMITTED: "open",
    Status.ON_HOLD: "open",
    Status.ROUTED: "open",
    Status.IN_PROGRESS: "open",
    Status.RESPONDED: "open",
    Status.CLOSED: "closed",
    Status.ARCHIVED: "closed",
}
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DESCRIPTION_MAX = 4000


def status_of(status: str) -> str:
    return OPEN311_STATUS[status]


def statuses_for(values: Iterable[str]) -> list[str]:
    wanted = set(values)
    return [code for code, mapped in OPEN311_STATUS.items() if mapped in wanted]


@dataclass(frozen=True)
class Attribute:
    code: str
    description: str
    datatype: str = "string"
    required: bool = False
    variable: bool = True
    datatype_description: str = ""
    values: tuple[tuple[str, str], ...] = ()
    # Where the answer goes: a field of the draft, or (None) a line under "Keterangan tambahan".
    target: str | None = None


YES_NO = (("true", "Ya"), ("false", "Tidak"))
COMMON: tuple[Attribute, ...] = (
    Attribute(
        "kind",
        "Jenis laporan",
        "singlevaluelist",
        values=(
            (Kind.COMPLAINT.value, "Pengaduan"),
            (Kind.ASPIRATION.value, "Aspirasi"),
            (Kind.INFORMATION_REQUEST.value, "Permintaan informasi"),
        ),
        target="kind",
    ),
    Attribute("title", "Judul singkat laporan", target="title", datatype_description="Maksimal 200 karakter"),
    Attribute(
        "region",
        "Kode wilayah Kemendagri tempat kejadian",
        target="region",
        datatype_description="Kode kabupaten/kota atau provinsi, mis. 34.04",
    ),
    Attribute(
        "incident_date",
        "Waktu kejadian",
        "datetime",
        target="incident_date",
        datatype_description="W3C, mis. 2026-11-01T08:00:00+07:00",
    ),
    Attribute(
        "anonymous",
        "Rahasiakan identitas pelapor dari publik dan instansi",
        "singlevaluelist",
        values=YES_NO,
        target="anonymous",
    ),
    Attribute(
        "confidential",
        "Laporan rahasia: tidak ditampilkan kepada publik",
        "singlevaluelist",
        values=YES_NO,
        target="confidential",
    ),
)
# What some categories need beyond the common questions (DESIGN §4 taxonomy codes).
SPECIFIC: dict[str, tuple[Attribute, ...]] = {
    "electricity_energy": (Attribute("customer_id", "ID pelanggan atau nomor meter PLN", "number"),),
    "roads_infrastructure": (
        Attribute(
            "road_status",
            "Status jalan",
            "singlevaluelist",
            values=(
                ("national", "Jalan nasional"),
                ("province", "Jalan provinsi"),
                ("regency", "Jalan kabupaten/kota"),
                ("village", "Jalan desa"),
                ("unknown", "Tidak tahu"),
            ),
        ),
    ),
    "health": (Attribute("facility", "Nama fasilitas kesehatan (puskesmas, rumah sakit)"),),
    "education": (Attribute("school", "Nama sekolah atau kampus"),),
    "civil_registry": (
        Attribute(
            "documents",
            "Dokumen yang bermasalah",
            "multivaluelist",
            values=(
                ("ktp", "KTP-el"),
                ("kk", "Kartu Keluarga"),
                ("birth", "Akta kelahiran"),
                ("death", "Akta kematian"),
                ("other", "Lainnya"),
            ),
        ),
    ),
    "social_aid": (
        Attribute(
            "program",
            "Program bantuan",
            "singlevaluelist",
            required=True,
            values=(
                ("pkh", "Program Keluarga Harapan"),
                ("bpnt", "Bantuan Pangan Non Tunai"),
                ("pip", "Program Indonesia Pintar"),
                ("blt", "Bantuan Langsung Tunai"),
                ("other", "Lainnya"),
            ),
        ),
    ),
    "integrity": (
        Attribute(
            "notice",
            "Laporan pungli diteruskan ke Inspektorat; identitas pelapor dilindungi.",
            variable=False,
        ),
    ),
}


def attributes_of(code: str) -> tuple[Attribute, ...]:
    return COMMON + SPECIFIC.get(code, ())


def service_out(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{category.name} ({category.name_en}). Batas penyelesaian "
        f"{category.resolution_days} hari kerja setelah disposisi.",
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join(dict.fromkeys([category.code, category.name_en.lower()])),
        "group": "pengawasan" if category.supervisory else "pelayanan publik",
    }


def definition_of(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": a.variable,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.datatype_description,
                "order": order,
                "description": a.description,
                **({"values": [{"key": k, "name": n} for k, n in a.values]} if a.values else {}),
            }
            for order, a in enumerate(attributes_of(category.code), start=1)
        ],
    }


def parse_w3c(value: str, *, name: str) -> datetime:
    parsed = parse_datetime(value) if W3C.match(value) else None
    if parsed is None:
        raise Invalid(f"{name} harus berformat W3C, mis. 2026-01-01T00:00:00Z.", code="invalid", field=name)
    return parsed


def _float(value: str, name: str) -> float:
    try:
        return float(value)
    except ValueError as exc:
        raise Invalid(f"{name} harus berupa angka.", code="invalid", field=name) from exc


@dataclass
class _Answers:
    fields: dict[str, Any] = field(default_factory=dict)
    extra: list[str] = field(default_factory=list)


def _answers(category: Category, form: QueryDict) -> _Answers:
    answers = _Answers()
    for attribute in attributes_of(category.code):
        if not attribute.variable:
            continue
        name = f"attribute[{attribute.code}]"
        given = [v.strip() for v in form.getlist(name) + form.getlist(name + "[]") if v.strip()]
        if not given:
            if attribute.required:
                raise Invalid(f"{name} wajib diisi: {attribute.description}.", code="required", field=name)
            continue
        if attribute.datatype != "multivaluelist" and len(given) > 1:
            raise Invalid(f"{name} hanya menerima satu nilai.", code="invalid", field=name)
        keys = {k for k, _ in attribute.values}
        if keys and any(v not in keys for v in given):
            raise Invalid(f"{name}: pilihan tidak dikenal.", code="invalid_choice", field=name)
        value: Any = given[0]
        if attribute.datatype == "number":
            _float(value, name)
        elif attribute.datatype == "datetime":
            value = parse_w3c(value, name=name)
        if attribute.target is None:
            labels = dict(attribute.values)
            shown = ", ".join(labels.get(v, v) for v in given)
            answers.extra.append(f"{attribute.description}: {shown}")
        elif attribute.target in {"anonymous", "confidential"}:
            answers.fields[attribute.target] = value == "true"
        elif attribute.target == "incident_date":
            answers.fields[attribute.target] = timezone.localtime(value).date()
        else:
            answers.fields[attribute.target] = value
    return answers


def draft_from_form(form: QueryDict, *, channel: str = "open311") -> ReportDraft:
    """A POSTed GeoReport request as a draft; spec violations are `Invalid` naming the field."""
    code = form.get("service_code", "").strip()
    if not code:
        raise Invalid("service_code wajib diisi.", code="required", field="service_code")
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise Invalid(f"service_code '{code}' tidak dikenal.", code="unknown_service", field="service_code")
    lat_raw, lon_raw = form.get("lat", "").strip(), form.get("long", "").strip()
    address = form.get("address_string", "").strip() or form.get("address_id", "").strip()
    if bool(lat_raw) != bool(lon_raw):
        raise Invalid("lat dan long harus diisi bersama.", code="invalid", field="lat")
    if not (lat_raw or address):
        raise Invalid(
            "Lokasi wajib diisi: lat dan long, address_string, atau address_id.",
            code="required",
            field="lat",
        )
    description = form.get("description", "").strip()
    if not description:
        raise Invalid("description wajib diisi.", code="required", field="description")
    if len(description) > DESCRIPTION_MAX:
        raise Invalid(
            f"description maksimal {DESCRIPTION_MAX} karakter.", code="too_long", field="description"
        )
    answers = _answers(category, form)
    body = description
    if answers.extra:
        body += "\n\nKeterangan tambahan:\n" + "\n".join(f"- {line}" for line in answers.extra)
    if media := form.get("media_url", "").strip():
        body += f"\n\nMedia: {media[:500]}"
    name = " ".join(p for p in (form.get("first_name", "").strip(), form.get("last_name", "").strip()) if p)
    email, phone = form.get("email", "").strip(), form.get("phone", "").strip()
    anonymous = answers.fields.pop("anonymous", None)
    if anonymous is None:
        anonymous = not (name or email or phone)  # anonymous contact is allowed (spec)
    return ReportDraft(
        body=body,
        category=category.code,
        address=address,
        lat=_float(lat_raw, "lat") if lat_raw else None,
        lon=_float(lon_raw, "long") if lon_raw else None,
        anonymous=anonymous,
        reporter_name=name[:150],
        reporter_email=email,
        reporter_phone=phone,
        channel=channel,
        **answers.fields,
    )


def with_status_notes(qs: QuerySet[Report]) -> QuerySet[Report]:
    """The latest public message on each report, fetched in the same query as the reports."""
    latest = (
        TimelineEvent.objects.filter(report=OuterRef("pk"), visibility=TimelineEvent.Visibility.PUBLIC)
        .exclude(message="")
        .order_by("-created_at", "-id")
        .values("message")[:1]
    )
    return qs.annotate(open311_notes=Subquery(latest))


def service_notice(report: Report) -> str:
    if report.status == Status.SUBMITTED:
        return "Menunggu verifikasi dan disposisi oleh verifikator nasional."
    if report.agency is not None and report.status in {Status.ROUTED, Status.IN_PROGRESS}:
        return f"Ditangani {report.agency.name}; tindak lanjut sesuai batas waktu layanan."
    return str(Status(report.status).label)


def request_out(report: Report) -> dict[str, Any]:
    """One request, with the fields the spec names, in its order; never the reporter."""
    notes = getattr(report, "open311_notes", None)
    return {
        "service_request_id": report.tracking_id,
        "status": status_of(report.status),
        "status_notes": notes or str(Status(report.status).label),
        "service_name": report.category.name if report.category else "",
        "service_code": report.category.code if report.category else "",
        "description": report.body,
        "agency_responsible": report.agency.name if report.agency else "",
        "service_notice": service_notice(report),
        "requested_datetime": report.created_at,
        "updated_datetime": report.closed_at
        if report.status == Status.CLOSED and report.closed_at
        else report.updated_at,
        "expected_datetime": report.resolution_due_at or report.due_at,
        "address": report.address,
        "address_id": "",
        "zipcode": "",
        "lat": report.lat,
        "long": report.lon,
        "media_url": "",
    }


def update_out(event: TimelineEvent) -> dict[str, Any]:
    """One public timeline event as a servicerequestupdates record (mySociety extension)."""
    return {
        "update_id": str(event.pk),
        "service_request_id": event.report.tracking_id,
        "status": status_of(event.to_status),
        "updated_datetime": event.created_at,
        "description": event.message,
        "media_url": "",
        "external_status_code": event.to_status,
    }

"""Input and output shapes of /api/v1. Field names are a contract with client developers."""

from datetime import date, datetime

from ninja import Schema
from pydantic import BaseModel, Field

from lapor.reports.models import Kind
from lapor.reports.workflow import Status


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    # Accounts with two-step verification: a code from the authenticator app, or a recovery code.
    otp: str | None = Field(default=None, max_length=32)


class TokenOut(Schema):
    token: str
    token_type: str = "bearer"
    expires_at: datetime


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    resolution_days: int
    supervisory: bool


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    parent: str | None = Field(None, validation_alias="parent_id")
    timezone: str


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    region: str | None = Field(None, validation_alias="region_id")
    timezone: str
    parent: str | None = None
    direct_intake: bool

    @staticmethod
    def resolve_parent(obj: object) -> str | None:
        parent = getattr(obj, "parent", None)
        return parent.code if parent is not None else None


# A filing's body and answer are plain pydantic models: they are built from JSON and from values, never
# read from a Django object, so ninja's attribute resolution (a sixth of the filing's parsing) buys nothing.
class ReportIn(BaseModel):
    kind: Kind = Kind.COMPLAINT
    title: str = Field("", max_length=200)
    body: str = Field(max_length=10_000)
    incident_date: date | None = None
    region: str | None = Field(None, max_length=13)
    address: str = Field("", max_length=300)
    lat: float | None = None
    lon: float | None = None
    category: str | None = Field(None, max_length=32)
    target_agency: str | None = Field(None, max_length=64)
    tags: list[str] = Field(default_factory=list, max_length=10)
    anonymous: bool = False
    confidential: bool = False
    reporter_name: str = Field("", max_length=150)
    reporter_email: str = Field("", max_length=254)
    reporter_phone: str = Field("", max_length=32)
    external_ref: str | None = Field(None, max_length=120)


class SubmittedOut(BaseModel):
    tracking_id: str
    status: Status
    access_code: str | None = None
    created: bool = True


class ReporterOut(Schema):
    name: str
    email: str | None = None
    phone: str | None = None


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class ReportSummaryOut(Schema):
    tracking_id: str
    kind: str
    title: str
    excerpt: str
    status: str
    status_label: str
    category: str | None
    agency: str | None
    unit: str | None
    region: str | None
    supporters: int
    escalation_level: int
    due_at: datetime | None
    created_at: datetime


class ReportOut(ReportSummaryOut):
    body: str
    incident_date: date | None
    address: str
    lat: float | None
    lon: float | None
    tags: list[str]
    target_agency: str | None
    channel: str
    anonymous: bool
    confidential: bool
    reporter: ReporterOut | None
    archive_reason: str | None
    duplicate_of: str | None
    rating: int | None
    flagged: bool | None
    attachments: list[AttachmentOut]
    verify_due_at: datetime | None
    followup_due_at: datetime | None
    resolution_due_at: datetime | None
    reply_due_at: datetime | None
    hold_expires_at: datetime | None
    updated_at: datetime
    can: list[str]


class ReportPage(Schema):
    items: list[ReportSummaryOut]
    count: int
    count_exact: bool = True  # false: there are more than `count` (counting stops at 10,000)
    page: int
    page_size: int
    pages: int
    next_cursor: str | None = None  # pass as `cursor` for the following page (keyset, ADR 0022)


class ActionIn(Schema):
    agency: str | None = Field(None, max_length=64)
    unit: str | None = Field(None, max_length=130)
    reason: str | None = Field(None, max_length=24)
    message: str = Field("", max_length=10_000)
    note: str = Field("", max_length=10_000)
    rating: int | None = None
    working_days: int | None = None
    comment: str = Field("", max_length=10_000)
    duplicate_of: str | None = Field(None, max_length=16)
    access_code: str | None = Field(None, max_length=32)


class EventOut(Schema):
    action: str
    actor_role: str
    actor: str | None
    from_status: str | None
    to_status: str
    agency: str | None
    unit: str | None
    reason: str | None
    message: str
    note: str | None
    internal: bool
    created_at: datetime


class SupportOut(Schema):
    supporters: int
    supported: bool
    created: bool

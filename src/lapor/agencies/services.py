"""Writes an agency admin makes to their own agency: its members and roles, and its units. National
roles (verifier, supervisor) are never granted here: those belong to national administrators in
the Django admin. Everything fails closed: an agency the actor does not administer does not exist."""

import re

from django.db import IntegrityError, transaction

from lapor.agencies.access import Viewer
from lapor.agencies.models import Agency, Membership, Role, Unit
from lapor.audit.services import audit_record
from lapor.core.errors import Conflict, Invalid, NotFound
from lapor.core.models import User

__all__ = ["GRANTABLE_ROLES", "membership_add", "membership_remove", "unit_create"]

GRANTABLE_ROLES = frozenset({Role.AGENCY_ADMIN, Role.UNIT_OFFICER})
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _administered(actor: Viewer, agency: Agency) -> Agency:
    if agency.pk not in actor.admin_agency_ids:
        raise NotFound("Instansi tidak ditemukan.")
    return agency


def membership_add(
    *, actor: Viewer, agency: Agency, username: str, role: str, unit: Unit | None = None
) -> Membership:
    """Give an existing account a role in the actor's agency (a unit officer needs the unit)."""
    _administered(actor, agency)
    if role not in GRANTABLE_ROLES:
        raise Invalid(
            "Peran ini hanya dapat diberikan oleh administrator nasional.", code="role", field="role"
        )
    if role == Role.UNIT_OFFICER and unit is None:
        raise Invalid("Petugas unit harus ditempatkan pada sebuah unit kerja.", code="required", field="unit")
    if unit is not None and unit.agency_id != agency.pk:
        raise Invalid("Unit kerja bukan bagian dari instansi ini.", code="invalid_unit", field="unit")
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise Invalid(
            "Akun tidak ditemukan; minta yang bersangkutan mendaftar dahulu.",
            code="unknown_user",
            field="username",
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, agency=agency, unit=unit if role == Role.UNIT_OFFICER else None, role=role
            )
            _audit("membership.add", actor, membership)
            return membership
    except IntegrityError as exc:
        raise Conflict("Akun ini sudah memiliki peran tersebut.", code="duplicate", field="username") from exc


def membership_remove(*, actor: Viewer, membership_id: int) -> None:
    """Take a role away. An admin cannot remove their own admin role, so no agency locks itself out."""
    membership = Membership.objects.filter(pk=membership_id, agency_id__in=actor.admin_agency_ids).first()
    if membership is None or membership.role not in GRANTABLE_ROLES:
        raise NotFound("Keanggotaan tidak ditemukan.")
    if (
        actor.user is not None
        and membership.user_id == actor.user.pk
        and membership.role == Role.AGENCY_ADMIN
    ):
        raise Conflict("Anda tidak dapat mencabut peran admin Anda sendiri.", code="self_removal")
    with transaction.atomic():
        _audit("membership.remove", actor, membership)
        membership.delete()


def _audit(action: str, actor: Viewer, membership: Membership) -> None:
    audit_record(
        action=action,
        actor=actor.user,
        target_type="membership",
        target_id=membership.pk,
        payload={
            "user": membership.user_id,
            "agency": membership.agency_id,
            "unit": membership.unit_id,
            "role": membership.role,
        },
    )


def unit_create(*, actor: Viewer, agency: Agency, slug: str, name: str) -> Unit:
    _administered(actor, agency)
    slug, name = slug.strip().lower(), name.strip()
    if not _SLUG.match(slug) or len(slug) > 64:
        raise Invalid(
            "Kode unit: huruf kecil, angka dan tanda hubung (mis. dinas-pu).", code="invalid", field="slug"
        )
    if not 3 <= len(name) <= 200:
        raise Invalid("Nama unit 3 sampai 200 karakter.", code="invalid", field="name")
    try:
        with transaction.atomic():
            unit = Unit.objects.create(agency=agency, slug=slug, code=f"{agency.code}/{slug}", name=name)
            audit_record(
                action="unit.create",
                actor=actor.user,
                target_type="unit",
                target_id=unit.code,
                payload={"agency": agency.pk, "unit": unit.pk},
            )
            return unit
    except IntegrityError as exc:
        raise Conflict("Kode unit sudah dipakai di instansi ini.", code="duplicate", field="slug") from exc

"""API keys of integrations: create (shown once), rotate (new secret, same integration), revoke, and
authenticate. A key acts through its own service user, whose memberships are its scope: `read` is a
supervisor membership of the key's agency, `act` an agency-admin membership. So every selector and
service applies to an integration exactly the rules it applies to a person in that role."""

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from lapor.agencies.access import Viewer, viewer_for
from lapor.agencies.models import Agency, Membership, Role
from lapor.audit.services import audit_record
from lapor.channels.models import ApiKey, Permission
from lapor.core import clock
from lapor.core.errors import Conflict, Invalid, NotFound
from lapor.core.models import User, hash_secret, record_use
from lapor.notifications.models import Preference

__all__ = [
    "DEFAULT_PERMISSIONS",
    "Issued",
    "apikey_authenticate",
    "apikey_create",
    "apikey_revoke",
    "apikey_rotate",
    "viewer_for_key",
]

DEFAULT_PERMISSIONS = (Permission.SUBMIT, Permission.READ)
MEMBERSHIP_FOR = {Permission.READ: Role.SUPERVISOR, Permission.ACT: Role.AGENCY_ADMIN}
KEY_SHAPE = re.compile(r"^lpk_([a-z0-9]{8})_[A-Za-z0-9_-]{20,}$")


@dataclass(frozen=True)
class Issued:
    key: ApiKey
    raw: str  # shown once, never stored


def _new_secret(prefix: str) -> str:
    return f"lpk_{prefix}_{secrets.token_urlsafe(32)}"


def _new_prefix() -> str:
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def _permissions(values: Iterable[str]) -> list[str]:
    chosen = sorted({value.strip() for value in values if value.strip()})
    unknown = [value for value in chosen if value not in Permission.values]
    if unknown:
        raise Invalid(
            f"Izin tidak dikenal: {', '.join(unknown)}. Pilihan: {', '.join(Permission.values)}.",
            code="invalid_choice",
            field="permissions",
        )
    if not chosen:
        raise Invalid("Pilih paling sedikit satu izin.", code="required", field="permissions")
    return chosen


def apikey_create(
    *,
    agency: Agency,
    name: str,
    permissions: Iterable[str] = DEFAULT_PERMISSIONS,
    actor: User | None = None,
    slug: str = "",
) -> Issued:
    """A new integration: its service user, its scope memberships and its key (returned once)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise Invalid("Nama integrasi wajib diisi (maksimal 100 karakter).", code="required", field="name")
    chosen = _permissions(permissions)
    slug = slugify(slug or name)[:28].strip("-")
    if not slug:
        raise Invalid("Kode sistem tidak valid.", code="invalid", field="slug")
    if ApiKey.objects.filter(slug=slug).exists():
        raise Conflict(f"Integrasi dengan kode '{slug}' sudah ada.", code="duplicate", field="slug")
    prefix = _new_prefix()
    raw = _new_secret(prefix)
    with transaction.atomic():
        user = User(username=f"integrasi:{slug}", first_name=name[:150])
        user.set_unusable_password()
        user.save()
        # An integration reads its messages by webhook, not by e-mail or in an inbox.
        Preference.objects.create(user=user, email=False, sms=False, in_app=False)
        for permission in chosen:
            if (role := MEMBERSHIP_FOR.get(Permission(permission))) is not None:
                Membership.objects.create(user=user, agency=agency, role=role)
        key = ApiKey.objects.create(
            name=name,
            slug=slug,
            agency=agency,
            permissions=chosen,
            prefix=prefix,
            digest=hash_secret(raw),
            user=user,
            created_by=actor,
        )
        _audit("apikey.create", actor, key)
    return Issued(key=key, raw=raw)


def _audit(action: str, actor: User | None, key: ApiKey) -> None:
    """Never the secret or its digest: the prefix names the key well enough."""
    audit_record(
        action=action,
        actor=actor,
        target_type="apikey",
        target_id=key.slug,
        payload={"prefix": key.prefix, "agency": key.agency_id, "permissions": list(key.permissions)},
    )


def _find(prefix_or_slug: str) -> ApiKey:
    key = (
        ApiKey.objects.select_related("user", "agency").filter(prefix=prefix_or_slug).first()
        or ApiKey.objects.select_related("user", "agency").filter(slug=prefix_or_slug).first()
    )
    if key is None:
        raise NotFound("Kunci API tidak ditemukan.")
    return key


def apikey_rotate(*, key: ApiKey | str, actor: User | None = None) -> Issued:
    """A new secret for the same integration; the old one stops working at once."""
    found = _find(key) if isinstance(key, str) else key
    if found.revoked_at is not None:
        raise Conflict("Kunci API sudah dicabut.", code="revoked")
    prefix = _new_prefix()
    raw = _new_secret(prefix)
    found.prefix, found.digest, found.rotated_at = prefix, hash_secret(raw), clock.now()
    with transaction.atomic():
        found.save(update_fields=["prefix", "digest", "rotated_at", "updated_at"])
        _audit("apikey.rotate", actor, found)
    return Issued(key=found, raw=raw)


def apikey_revoke(*, key: ApiKey | str, actor: User | None = None) -> ApiKey:
    """The key stops working for good; its service user is deactivated, its history kept."""
    found = _find(key) if isinstance(key, str) else key
    with transaction.atomic():
        if found.revoked_at is None:
            found.revoked_at = clock.now()
            found.save(update_fields=["revoked_at", "updated_at"])
        User.objects.filter(pk=found.user_id).update(is_active=False)
        _audit("apikey.revoke", actor, found)
    return found


def apikey_authenticate(raw: str | None) -> ApiKey | None:
    """The active key with this secret, or None. Constant cost: one lookup by digest."""
    raw = (raw or "").strip()
    if not raw or not KEY_SHAPE.match(raw):
        return None
    key = ApiKey.objects.select_related("user", "agency").filter(digest=hash_secret(raw)).first()
    if key is None or key.revoked_at is not None or not key.user.is_active:
        return None
    record_use(key, clock.now())
    return key


def viewer_for_key(key: ApiKey) -> Viewer:
    return viewer_for(key.user)

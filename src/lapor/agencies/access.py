"""Who is looking: a user's roles resolved once per request into a small immutable `Viewer`.
Selectors and services take a Viewer, never a raw user, so every check reads the same facts."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from lapor.agencies.models import Agency, Membership, Role
from lapor.core.models import User

__all__ = ["Viewer", "viewer_for"]

# Oversight bodies (Ombudsman, KSP) and the national node look across every agency.
NATIONWIDE_KINDS = frozenset({Agency.Kind.OVERSIGHT, Agency.Kind.NATIONAL_NODE})


@dataclass(frozen=True)
class Viewer:
    user: User | None = None
    is_verifier: bool = False
    admin_agency_ids: frozenset[int] = field(default_factory=frozenset)
    # Agencies whose admins may route reports addressed to them (fully connected, DESIGN §5).
    direct_intake_agency_ids: frozenset[int] = field(default_factory=frozenset)
    officer_unit_ids: frozenset[int] = field(default_factory=frozenset)
    supervised_agency_ids: frozenset[int] = field(default_factory=frozenset)
    supervises_all: bool = False
    is_system: bool = False

    @classmethod
    def public(cls) -> "Viewer":
        return cls()

    @classmethod
    def system(cls) -> "Viewer":
        """The sweep and other scheduled work: may take system actions, sees everything."""
        return cls(is_system=True)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def is_staff_member(self) -> bool:
        return bool(
            self.is_verifier
            or self.admin_agency_ids
            or self.officer_unit_ids
            or self.supervised_agency_ids
            or self.supervises_all
        )

    @property
    def sees_everything(self) -> bool:
        return self.is_verifier or self.supervises_all or self.is_system


def viewer_for(user: AbstractBaseUser | AnonymousUser | None) -> Viewer:
    """Resolve memberships with one query (two for a scoped supervisor)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Viewer.public()
    assert isinstance(user, User)  # nosec B101  # type narrowing; authenticated means our User model
    memberships = list(Membership.objects.filter(user=user).select_related("agency"))
    admin = frozenset(m.agency_id for m in memberships if m.role == Role.AGENCY_ADMIN)
    supervising = [m.agency for m in memberships if m.role == Role.SUPERVISOR]
    supervises_all = any(agency.kind in NATIONWIDE_KINDS for agency in supervising)
    supervised: frozenset[int] = frozenset()
    if supervising and not supervises_all:
        roots = {agency.id for agency in supervising}
        children = set(Agency.objects.filter(parent_id__in=roots).values_list("id", flat=True))
        supervised = frozenset(roots | children)
    return Viewer(
        user=user,
        is_verifier=any(m.role == Role.VERIFIER for m in memberships),
        admin_agency_ids=admin,
        direct_intake_agency_ids=frozenset(
            m.agency_id for m in memberships if m.role == Role.AGENCY_ADMIN and m.agency.direct_intake
        ),
        officer_unit_ids=frozenset(
            m.unit_id for m in memberships if m.role == Role.UNIT_OFFICER and m.unit_id is not None
        ),
        supervised_agency_ids=supervised,
        supervises_all=supervises_all,
    )

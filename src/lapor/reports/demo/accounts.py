"""The demo accounts: one per role, so every screen can be tried by signing in as the person it is for.
All share one password; `lapor demo_accounts` prints them."""

from dataclasses import dataclass

from lapor.agencies.models import Agency, Membership, Role, Unit
from lapor.core.models import User

__all__ = ["ACCOUNTS", "DEMO_PASSWORD", "DemoAccount", "create_accounts"]

DEMO_PASSWORD = "lapor-demo"  # nosec B105  # published demo password, demo data only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str | None = None  # None: a citizen, with no membership
    agency: str = ""
    unit: str = ""  # the unit's full code, `<agency>/<unit>`
    phone: str = ""

    @property
    def email(self) -> str:
        return f"{self.username}@demo.lapor.local"


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("verifikator", "Ratna", "Kusumawati", Role.VERIFIER, "lapor-nasional"),
    DemoAccount("ombudsman", "Hendra", "Simanjuntak", Role.SUPERVISOR, "ombudsman"),
    DemoAccount("admin-pln", "Yudi", "Prasetyo", Role.AGENCY_ADMIN, "pln"),
    DemoAccount("admin-kemensos", "Lestari", "Handayani", Role.AGENCY_ADMIN, "kemensos"),
    DemoAccount("admin-polri", "Agus", "Santoso", Role.AGENCY_ADMIN, "polri"),
    DemoAccount("admin-bpjs-kesehatan", "Maria", "Lumbantobing", Role.AGENCY_ADMIN, "bpjs-kesehatan"),
    DemoAccount("admin-pemda-34.04", "Wahyu", "Nugroho", Role.AGENCY_ADMIN, "pemda-34.04"),
    DemoAccount("admin-pemda-32.73", "Asep", "Saepudin", Role.AGENCY_ADMIN, "pemda-32.73"),
    DemoAccount("admin-pemda-35.78", "Endah", "Purwaningsih", Role.AGENCY_ADMIN, "pemda-35.78"),
    DemoAccount("admin-pemda-31.74", "Fauzi", "Rahman", Role.AGENCY_ADMIN, "pemda-31.74"),
    DemoAccount(
        "petugas-pemda-34.04-dinas-pu",
        "Bambang",
        "Sutrisno",
        Role.UNIT_OFFICER,
        "pemda-34.04",
        "pemda-34.04/dinas-pu",
    ),
    DemoAccount("warga", "Rahmat", "Hidayat", phone="0812-2741-3390"),
    DemoAccount("dewi", "Dewi", "Anggraini", phone="0857-0122-4816"),
    DemoAccount("yohanes", "Yohanes", "Manurung"),
)


def create_accounts() -> dict[str, User]:
    """Create every demo account with its membership; returns them by username."""
    agencies = {a.code: a for a in Agency.objects.filter(code__in={x.agency for x in ACCOUNTS if x.agency})}
    units = {u.code: u for u in Unit.objects.filter(code__in={x.unit for x in ACCOUNTS if x.unit})}
    users: dict[str, User] = {}
    for acc in ACCOUNTS:
        user = User.objects.create_user(
            username=acc.username,
            password=DEMO_PASSWORD,
            email=acc.email,
            first_name=acc.first_name,
            last_name=acc.last_name,
            phone=acc.phone,
        )
        if acc.role is not None:
            unit = units[acc.unit] if acc.unit else None
            Membership.objects.create(user=user, agency=agencies[acc.agency], unit=unit, role=acc.role)
        users[acc.username] = user
    return users

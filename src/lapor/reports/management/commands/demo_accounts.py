"""`lapor demo_accounts`: who to sign in as to try each role of the demo (`make run` prints it)."""

from typing import Any

from django.core.management.base import BaseCommand

from lapor.agencies.models import Membership, Role
from lapor.core.models import User
from lapor.reports.demo import ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "List the demo accounts, their roles and the shared password."

    def handle(self, *args: Any, **options: Any) -> None:
        names = [a.username for a in ACCOUNTS]
        users = {u.username: u for u in User.objects.filter(username__in=names)}
        if not users:
            self.stdout.write("Data demo belum dimuat (jalankan `lapor seed --demo`).")
            return
        roles: dict[int, list[tuple[str, str]]] = {}
        for m in Membership.objects.filter(user__in=users.values()).select_related("agency", "unit"):
            place = m.unit.code if m.unit else m.agency.code
            roles.setdefault(m.user_id, []).append((str(Role(m.role).label), place))
        rows = [("Akun", "Peran", "Instansi / unit")]
        for name in names:
            if (user := users.get(name)) is None:
                continue
            for label, place in roles.get(user.pk, [("Warga (pelapor)", "-")]):
                rows.append((name, label, place))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write(f"Akun demo (kata sandi semua akun: {DEMO_PASSWORD})")
        for i, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  " + "  ".join(cells).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))

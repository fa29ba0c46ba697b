"""`lapor createadmin --username U --email E`: an operator account that can open /admin/ and acts as a
national verifier. The password is asked for (or read from LAPOR_ADMIN_PASSWORD for scripts)."""

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lapor.agencies.models import Agency, Membership, Role
from lapor.core.models import User

NATIONAL_NODE = "lapor-nasional"


class Command(BaseCommand):
    help = "Create an administrator who is also a national verifier."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, username: str, email: str, **options: Any) -> None:
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Pengguna '{username}' sudah ada.")
        password = os.environ.get("LAPOR_ADMIN_PASSWORD") or getpass.getpass("Kata sandi: ")
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        node = Agency.objects.filter(code=NATIONAL_NODE).first()
        if node is None:
            raise CommandError("Data acuan belum dimuat: jalankan `lapor seed` terlebih dahulu.")
        with transaction.atomic():
            user = User.objects.create_superuser(username=username, email=email, password=password)
            Membership.objects.create(user=user, agency=node, role=Role.VERIFIER)
        self.stdout.write(f"Admin '{username}' dibuat (superuser dan verifikator nasional).")

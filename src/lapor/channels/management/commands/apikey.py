"""`lapor apikey create --agency CODE --name NAME [--permissions submit,read]` prints a new key once;
`lapor apikey rotate PREFIX|SLUG` prints its replacement once; `lapor apikey revoke PREFIX|SLUG`;
`lapor apikey list`. The last line of create/rotate output is the key alone, for scripts."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lapor.agencies.models import Agency
from lapor.channels.apikeys import DEFAULT_PERMISSIONS, apikey_create, apikey_revoke, apikey_rotate
from lapor.channels.models import ApiKey
from lapor.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create, rotate, revoke or list the API keys of integrations."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--agency", required=True, help="agency code, e.g. pemda-34.04")
        create.add_argument("--name", required=True)
        create.add_argument("--slug", default="", help="system code (default: from the name)")
        create.add_argument(
            "--permissions",
            default=",".join(DEFAULT_PERMISSIONS),
            help="comma-separated: submit, read, act, sms, social, webhooks",
        )
        for name in ("rotate", "revoke"):
            sub.add_parser(name).add_argument("key", help="the key's prefix or system code")
        sub.add_parser("list")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "create":
                agency = Agency.objects.filter(code=options["agency"]).first()
                if agency is None:
                    raise CommandError(f"Instansi '{options['agency']}' tidak ditemukan.")
                issued = apikey_create(
                    agency=agency,
                    name=options["name"],
                    slug=options["slug"],
                    permissions=options["permissions"].split(","),
                )
                self._show(issued.key, issued.raw)
            elif action == "rotate":
                issued = apikey_rotate(key=options["key"])
                self._show(issued.key, issued.raw)
            elif action == "revoke":
                key = apikey_revoke(key=options["key"])
                self.stdout.write(f"Dicabut: {key.slug} ({key.prefix})")
            else:
                for key in ApiKey.objects.select_related("agency"):
                    state = "dicabut" if key.revoked_at else "aktif"
                    permissions = ",".join(key.permissions)
                    self.stdout.write(
                        f"{key.prefix}  {key.slug:28} {key.agency.code:20} {permissions:24} {state}"
                    )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

    def _show(self, key: ApiKey, raw: str) -> None:
        scope = f"{key.slug}, {key.agency.code}; izin: {', '.join(key.permissions)}"
        self.stdout.write(
            f"Kunci API untuk {key.name} ({scope}).\nSimpan sekarang: kunci ini tidak akan ditampilkan lagi."
        )
        self.stdout.write(raw)

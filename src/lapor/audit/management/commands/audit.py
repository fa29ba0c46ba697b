"""`lapor audit verify`: recompute the chain, print the outcome as JSON, exit 1 on any break.

`--anchor SEQ:HASH` also checks an externally kept pair (e.g. the head printed by yesterday's run and
kept in the logs), which catches a rewrite of the whole chain by someone who can drop the triggers."""

import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.audit.verify import Anchor, verify_chain

_ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


def _anchor(value: str) -> Anchor:
    found = _ANCHOR.match(value.strip())
    if found is None:
        raise CommandError("--anchor takes SEQ:HASH (a sequence number and a 64-digit sha256)")
    return Anchor(seq=int(found.group(1)), hash=found.group(2))


class Command(BaseCommand):
    help = "The tamper-evident audit log: `verify` recomputes the hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="Recompute the chain; exit 1 on any break.")
        verify.add_argument("--anchor", type=_anchor, default=None, help="SEQ:HASH kept from an earlier run")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        outcome = verify_chain(anchor=options.get("anchor"))
        self.stdout.write(json.dumps(outcome.as_dict(), ensure_ascii=False))
        if not outcome.ok:
            # CommandError: exit status 1 on the command line, a logged failure inside `lapor worker`.
            raise CommandError(f"audit chain broken at {outcome.first_broken_seq}: {outcome.reason}")

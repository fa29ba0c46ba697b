"""How tests play an attacker with rights on the database: drop the append-only triggers (exactly the
ones migration 0002 installed), change rows behind the application's back, then restore them."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from lapor.audit import triggers
from lapor.audit.models import AuditEntry, AuditHead

PARK = 10**12  # a free sequence number while two rows swap places


@contextmanager
def triggers_dropped() -> Iterator[None]:
    triggers.remove(connection)
    try:
        yield
    finally:
        triggers.install(connection)


def edit(seq: int, **changes: object) -> None:
    with triggers_dropped():
        assert AuditEntry.objects.filter(seq=seq).update(**changes) == 1


def delete(*seqs: int) -> None:
    with triggers_dropped():
        assert AuditEntry.objects.filter(seq__in=seqs).delete()[0] == len(seqs)


def swap(a: int, b: int) -> None:
    with triggers_dropped():
        AuditEntry.objects.filter(seq=a).update(seq=PARK)
        AuditEntry.objects.filter(seq=b).update(seq=a)
        AuditEntry.objects.filter(seq=PARK).update(seq=b)


def delete_head() -> None:
    with triggers_dropped():
        AuditHead.objects.all().delete()

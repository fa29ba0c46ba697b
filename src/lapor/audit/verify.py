"""Recompute the chain and name the first break: which sequence number, and why.

- `removed`: a sequence number is missing (a row was deleted from the middle or the start);
- `edited`: a row's content no longer gives its hash, or it no longer links to the row before it;
- `reordered`: a row's content gives its hash only under another sequence number (rows swapped);
- `truncated`: the head says the chain goes further than the rows do (the tail was deleted);
- `head_missing` / `beyond_head`: the anchor row is gone, or rows follow it that it never saw;
- `anchor_mismatch`: an externally kept (seq, hash) pair, e.g. from yesterday's run, does not match.

Streams the rows in order, so memory stays flat however long the log grows. Safe beside live appends:
an entry and the head move in one transaction, so the rows up to the head read first are all there,
and rows beyond the head are looked for in one statement (one snapshot) against the head of the moment."""

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Subquery

from lapor.audit import chain
from lapor.audit.models import GENESIS, AuditEntry, AuditHead

__all__ = ["Anchor", "Outcome", "verify_chain"]

_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_display",
    "action",
    "target_type",
    "target_id",
    "payload",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str


@dataclass(frozen=True)
class Outcome:
    ok: bool
    entries_checked: int
    head_seq: int | None
    head_hash: str | None
    first_broken_seq: int | None = None
    reason: str | None = None
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _hash_as(row: dict[str, Any], seq: int) -> str:
    body = chain.canonical(
        seq=seq,
        at=row["at"],
        actor_id=row["actor_id"],
        actor_display=row["actor_display"],
        action=row["action"],
        target_type=row["target_type"],
        target_id=row["target_id"],
        payload=row["payload"],
    )
    return chain.digest(row["prev_hash"], body)


def _belongs_elsewhere(row: dict[str, Any], last_seq: int) -> int | None:
    """The sequence number under which this row's content does give its hash, if any (a swap)."""
    for seq in range(1, last_seq + 1):
        if seq != row["seq"] and _hash_as(row, seq) == row["hash"]:
            return seq
    return None


def verify_chain(*, anchor: Anchor | None = None, chunk_size: int = 2000) -> Outcome:
    head = AuditHead.objects.filter(pk=1).values("seq", "hash").first()
    head_seq, head_hash = (head["seq"], head["hash"]) if head else (None, None)
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    horizon = max(last, head_seq or 0)

    def broken(seq: int | None, reason: str, detail: str, checked: int) -> Outcome:
        return Outcome(False, checked, head_seq, head_hash, seq, reason, detail)

    rows = AuditEntry.objects.order_by("seq")
    if head is not None:
        rows = rows.filter(seq__lte=head["seq"])  # later rows were appended while we read
    prev_seq, prev_hash, checked = 0, GENESIS, 0
    anchored = anchor is None
    for row in rows.values(*_FIELDS).iterator(chunk_size=chunk_size):
        seq = row["seq"]
        if seq != prev_seq + 1:
            return broken(prev_seq + 1, "removed", f"entries {prev_seq + 1}..{seq - 1} are missing", checked)
        if _hash_as(row, seq) != row["hash"]:
            elsewhere = _belongs_elsewhere(row, horizon)
            if elsewhere is not None:
                return broken(seq, "reordered", f"entry {seq} was written as entry {elsewhere}", checked)
            return broken(seq, "edited", f"entry {seq} does not match its hash", checked)
        if row["prev_hash"] != prev_hash:
            # The row itself is intact, so the one before it was rewritten (with a fresh hash).
            return broken(prev_seq, "edited", f"entry {seq} no longer links to entry {prev_seq}", checked)
        if anchor is not None and seq == anchor.seq:
            if row["hash"] != anchor.hash:
                return broken(seq, "anchor_mismatch", f"entry {seq} differs from the anchor", checked)
            anchored = True
        prev_seq, prev_hash, checked = seq, row["hash"], checked + 1

    if head is None:
        if checked:
            return broken(prev_seq + 1, "head_missing", "the head row was removed", checked)
    else:
        seq_at_head: int = head["seq"]
        if seq_at_head > prev_seq:
            detail = f"the head is at {seq_at_head}, the rows end at {prev_seq}"
            return broken(prev_seq + 1, "truncated", detail, checked)
        if head["hash"] != prev_hash:
            return broken(prev_seq, "edited", "the newest entry differs from the head", checked)
        current = Subquery(AuditHead.objects.filter(pk=1).values("seq"))
        stray = (
            AuditEntry.objects.filter(seq__gt=current).order_by("seq").values_list("seq", flat=True).first()
        )
        if stray is not None:
            return broken(stray, "beyond_head", f"entry {stray} lies beyond the head", checked)
    if not anchored:
        return broken(anchor.seq if anchor else None, "truncated", "the anchored entry is missing", checked)
    return Outcome(True, checked, head_seq, head_hash)

"""The chain as real actions build it, and `verify` naming each kind of tampering."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lapor.audit import chain
from lapor.audit.models import GENESIS, AuditEntry, AuditHead
from lapor.audit.services import audit_record
from lapor.audit.verify import Anchor, verify_chain
from lapor.reports import services
from lapor.reports.models import Report
from tests.audit import tamper
from tests.audit.conftest import actions
from tests.factories import World

pytestmark = pytest.mark.django_db


def _verify_cli(*args: str) -> tuple[dict, bool]:
    out = StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
        failed = False
    except CommandError:
        failed = True
    return json.loads(out.getvalue()), failed


def test_staff_actions_build_one_chain(world: World, handled: Report) -> None:
    # given a report the verifier routed and the agency admin accepted, forwarded and answered
    services.report_note(report=handled, actor=world.viewer("admin_pemda"), note="Sudah dicek ke lokasi.")
    # then only the staff acts are in the log, in order, linked from the genesis hash
    assert actions() == ["report.route", "report.accept", "report.forward", "report.respond", "report.note"]
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert entries[0].actor_id == world.verifier.pk and entries[0].actor_display == "verifier"
    assert {e.target_id for e in entries} == {handled.tracking_id}
    assert entries[1].payload["from"] == "routed" and entries[1].payload["to"] == "in_progress"
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == (5, entries[-1].hash)
    report, failed = _verify_cli()
    assert report == {
        "ok": True,
        "entries_checked": 5,
        "head_seq": 5,
        "head_hash": entries[-1].hash,
        "first_broken_seq": None,
        "reason": None,
        "detail": "",
    }
    assert not failed


def test_no_free_text_reaches_the_log(world: World, handled: Report) -> None:
    services.report_note(
        report=handled, actor=world.viewer("admin_pemda"), note="Pelapor Siti tinggal di RT 3."
    )
    dumped = json.dumps(list(AuditEntry.objects.values("payload", "target_id", "actor_display")))
    assert "Siti" not in dumped and "RT 3" not in dumped and "Perbaikan dijadwalkan" not in dumped


def test_an_edited_row_is_found(handled: Report) -> None:
    tamper.edit(2, payload={"from": "routed", "to": "archived"})
    report, failed = _verify_cli()
    assert failed and not report["ok"]
    assert (report["first_broken_seq"], report["reason"]) == (2, "edited")
    assert report["entries_checked"] == 1


def test_an_edited_row_with_a_recomputed_hash_breaks_the_next_link(handled: Report) -> None:
    # the attacker knows the formula and rewrites row 2 consistently: row 3 still names the old hash
    row = AuditEntry.objects.get(seq=2)
    forged = AuditEntry(**{f.attname: getattr(row, f.attname) for f in AuditEntry._meta.concrete_fields})
    forged.actor_display = "orang lain"
    body = chain.canonical(
        seq=2,
        at=forged.at,
        actor_id=forged.actor_id,
        actor_display=forged.actor_display,
        action=forged.action,
        target_type=forged.target_type,
        target_id=forged.target_id,
        payload=forged.payload,
    )
    tamper.edit(2, actor_display="orang lain", hash=chain.digest(row.prev_hash, body))
    outcome = verify_chain()
    assert (outcome.ok, outcome.first_broken_seq, outcome.reason) == (False, 2, "edited")


def test_a_removed_middle_row_is_found(handled: Report) -> None:
    tamper.delete(2)
    outcome = verify_chain()
    assert (outcome.ok, outcome.first_broken_seq, outcome.reason) == (False, 2, "removed")


def test_a_removed_first_row_is_found(handled: Report) -> None:
    tamper.delete(1)
    outcome = verify_chain()
    assert (outcome.ok, outcome.first_broken_seq, outcome.reason) == (False, 1, "removed")


def test_a_removed_tail_is_found(handled: Report) -> None:
    tamper.delete(3, 4)
    report, failed = _verify_cli()
    assert failed
    assert (report["first_broken_seq"], report["reason"], report["entries_checked"]) == (3, "truncated", 2)


def test_reordered_rows_are_found(handled: Report) -> None:
    tamper.swap(2, 3)
    outcome = verify_chain()
    assert (outcome.ok, outcome.first_broken_seq, outcome.reason) == (False, 2, "reordered")


def test_a_row_slipped_in_beyond_the_head_is_found(handled: Report) -> None:
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    with tamper.triggers_dropped():
        AuditEntry.objects.create(
            seq=last.seq + 1,
            at=last.at,
            actor_display="x",
            action="report.archive",
            target_type="report",
            target_id=handled.tracking_id,
            prev_hash=last.hash,
            hash="e" * 64,
        )
    outcome = verify_chain()
    assert (outcome.ok, outcome.first_broken_seq, outcome.reason) == (False, last.seq + 1, "beyond_head")


def test_a_removed_head_is_found(handled: Report) -> None:
    tamper.delete_head()
    outcome = verify_chain()
    assert (outcome.ok, outcome.reason) == (False, "head_missing")


def test_an_anchor_catches_a_rewritten_chain(handled: Report) -> None:
    head = AuditHead.objects.get()
    assert verify_chain(anchor=Anchor(seq=head.seq, hash=head.hash)).ok
    assert verify_chain(anchor=Anchor(seq=2, hash="f" * 64)).reason == "anchor_mismatch"
    # an anchor beyond the rows: the chain was cut back (and its head with it)
    assert verify_chain(anchor=Anchor(seq=99, hash="f" * 64)).reason == "truncated"
    report, failed = _verify_cli("--anchor", f"{head.seq}:{head.hash}")
    assert report["ok"] and not failed


def test_the_first_entry_links_to_genesis_and_a_system_actor_is_named(db: None) -> None:
    entry = audit_record(action="test.first", actor=None, target_type="test", target_id="1")
    assert (entry.seq, entry.prev_hash, entry.actor_display) == (1, GENESIS, "sistem")
    assert verify_chain().ok


def test_floats_are_refused_before_anything_is_written(db: None) -> None:
    with pytest.raises(TypeError):
        audit_record(action="test.float", actor=None, target_type="test", target_id="1", payload={"x": 1.5})
    assert not AuditEntry.objects.exists()

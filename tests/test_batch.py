"""`core.batch`: writes held back inside `held()` and sent together (ADR 0032). What it must never
change is what gets written: every read sees the writes before it, a failure writes nothing, and a
savepoint rolled back takes its writes with it. On PostgreSQL the held writes go in one round trip;
on SQLite each runs at once, and the same tests hold."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save
from django.db.models.sql import InsertQuery
from django.test.utils import CaptureQueriesContext

from lapor.core import batch
from lapor.notifications.models import Notification, OutboxMessage
from lapor.reports.models import Report, ReporterIdentity, TimelineEvent
from lapor.reports.workflow import Actor, Status
from lapor.security.models import SecurityPolicy
from tests.factories import World, report_in

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"


def message(key: str) -> OutboxMessage:
    return OutboxMessage(dedupe_key=key, channel="email", address=f"{key}@contoh.id", subject="s", body="b")


def note_event(report: Report) -> TimelineEvent:
    return TimelineEvent(
        report=report,
        action="note",
        actor_role=Actor.VERIFIER,
        to_status=Status.SUBMITTED,
        created_at=report.created_at,
    )


def writes(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]


def test_held_writes_wait_for_the_end_of_the_block_and_go_in_one_statement() -> None:
    with CaptureQueriesContext(connection) as ctx, batch.held():
        batch.insert(message("a"), message("b"))
        batch.insert(message("c"))
        held_back = writes(ctx)
    assert sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == ["a", "b", "c"]
    if POSTGRESQL:  # rows of one table held one after the other: one INSERT for all three
        assert held_back == []
        assert len(writes(ctx)) == 1 and writes(ctx)[0].count("INSERT INTO") == 1
    else:
        assert len(held_back) == 2  # SQLite: at once, one bulk insert per call


def test_rows_are_written_as_they_were_when_inserted_in_the_order_of_every_write(world: World) -> None:
    report = report_in(world, Status.SUBMITTED)
    first, second, event = message("first"), message("second"), note_event(report)
    with CaptureQueriesContext(connection) as ctx, batch.held():
        batch.insert(first)
        first.subject = "changed after its insert"
        batch.insert(event)  # another table between them: three INSERTs, in this order
        batch.insert(second)
    assert OutboxMessage.objects.get(dedupe_key="first").subject == "s"
    assert TimelineEvent.objects.filter(pk=event.pk).exists()
    if POSTGRESQL:
        tables = [s.split('"')[1] for sent in writes(ctx) for s in sent.split("; ")]
        assert tables == [
            "notifications_outboxmessage",
            "reports_timelineevent",
            "notifications_outboxmessage",
        ]


def test_a_read_inside_the_block_sees_every_write_before_it() -> None:
    with batch.held():
        batch.insert(message("seen"))
        assert OutboxMessage.objects.filter(dedupe_key="seen").exists()
        batch.insert(message("after"))
    assert OutboxMessage.objects.count() == 2


def test_rows_can_point_at_rows_inserted_before_them_in_the_same_block(world: World) -> None:
    report = report_in(world, Status.SUBMITTED)
    event = note_event(report)
    note = Notification(user=world.verifier, report=report, kind="k", title="t", body="b")
    with batch.held():
        batch.insert(event)
        assert event.pk is not None  # drawn before anything is written
        note.title = f"event {event.pk}"
        batch.insert(note)
    assert TimelineEvent.objects.get(pk=event.pk).report_id == report.pk
    assert Notification.objects.get(pk=note.pk).title == f"event {event.pk}"


def test_a_failure_inside_the_block_writes_nothing() -> None:
    with pytest.raises(RuntimeError), batch.held():
        batch.insert(message("lost"))
        raise RuntimeError("after the insert, before the end")
    assert not OutboxMessage.objects.exists()


def test_a_failing_statement_fails_the_whole_batch_with_django_s_error() -> None:
    OutboxMessage.objects.create(
        **{f: getattr(message("taken"), f) for f in ("dedupe_key", "channel", "address")}
    )
    with pytest.raises(IntegrityError), batch.held():
        batch.insert(message("first"))
        batch.insert(message("taken"))  # the unique dedupe_key
    assert list(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == ["taken"]


def test_conflicts_can_be_ignored_as_with_bulk_create() -> None:
    OutboxMessage.objects.create(
        **{f: getattr(message("once"), f) for f in ("dedupe_key", "channel", "address")}
    )
    with batch.held():
        batch.insert(message("once"), message("new"), ignore_conflicts=True)
    assert OutboxMessage.objects.count() == 2


def test_a_savepoint_rolled_back_inside_the_block_takes_its_held_writes_with_it() -> None:
    with batch.held():
        batch.insert(message("kept"))
        try:
            with transaction.atomic():
                batch.insert(message("undone"))
                raise ValueError("the inner step fails and is handled")
        except ValueError:
            pass
        batch.insert(message("kept too"))
    assert sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == ["kept", "kept too"]


def test_nested_blocks_join_the_outer_one() -> None:
    with CaptureQueriesContext(connection) as ctx, batch.held():
        batch.insert(message("outer"))
        with batch.held():
            batch.insert(message("inner"))
        assert OutboxMessage.objects.count() == 2
    assert OutboxMessage.objects.count() == 2
    if POSTGRESQL:  # the savepoint of the inner block sent the outer write first; the count sent the inner
        assert [s.count("INSERT INTO") for s in writes(ctx)] == [1, 1]


def test_a_model_with_its_own_save_or_save_receivers_is_refused(world: World) -> None:
    def receiver(**kwargs: object) -> None:
        pass

    post_save.connect(receiver, sender=ReporterIdentity, weak=False)
    try:
        with pytest.raises(TypeError, match="ReporterIdentity"):
            batch.insert(ReporterIdentity(report=report_in(world, Status.SUBMITTED), name="x"))
    finally:
        post_save.disconnect(receiver, sender=ReporterIdentity)

    # SecurityPolicy.save() keeps it a singleton: an insert that skipped it would break that.
    with pytest.raises(TypeError, match="SecurityPolicy"):
        batch.insert(SecurityPolicy(pk=2))
    assert not SecurityPolicy.objects.filter(pk=2).exists()


def _counter_rows(counts: dict[str, int]) -> list[batch.Statement | None]:
    """One INSERT per key: an outbox message whose subject carries the folded count."""
    statements: list[batch.Statement | None] = []
    for key, n in sorted(counts.items()):
        row = message(key)
        row.subject = str(n)
        query = InsertQuery(OutboxMessage)
        query.insert_values(OutboxMessage._meta.local_concrete_fields, [row])
        statements.extend(query.get_compiler(using=connection.alias).as_sql())
    return statements


def _add(into: dict[str, int], more: dict[str, int]) -> None:
    for key, n in more.items():
        into[key] = into.get(key, 0) + n


@pytest.mark.skipif(not POSTGRESQL, reason="only PostgreSQL holds writes back; SQLite writes each at once")
def test_folded_values_are_merged_and_written_once_at_the_end_of_the_block() -> None:
    with CaptureQueriesContext(connection) as ctx, batch.held():
        for more in ({"a": 1}, {"a": 2, "b": 1}, {"b": 4}):
            batch.fold("counts", more, merge=_add, write=_counter_rows)
        before_end = writes(ctx)
    assert dict(OutboxMessage.objects.values_list("dedupe_key", "subject")) == {"a": "3", "b": "5"}
    assert before_end == [] and len(writes(ctx)) == 1


def test_outside_a_block_a_folded_value_is_written_at_once() -> None:
    batch.fold("counts", {"a": 1}, merge=_add, write=_counter_rows)
    batch.fold("counts", {"b": 2}, merge=_add, write=_counter_rows)
    assert dict(OutboxMessage.objects.values_list("dedupe_key", "subject")) == {"a": "1", "b": "2"}


def test_a_read_inside_the_block_sees_what_was_folded_so_far() -> None:
    with batch.held():
        batch.fold("counts", {"a": 1}, merge=_add, write=_counter_rows)
        seen = OutboxMessage.objects.filter(dedupe_key="a").values_list("subject", flat=True).first()
        batch.fold("counts", {"c": 1}, merge=_add, write=_counter_rows)
    assert seen == "1"
    assert sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == ["a", "c"]


def test_many_rows_of_a_table_go_by_copy_in_the_order_of_every_write(world: World) -> None:
    report = report_in(world, Status.SUBMITTED)
    many = [message(f"m{i:03}") for i in range(batch.COPY_FROM + 5)]
    many[7].user, many[8].subject = world.citizen, "kutip 'tunggal', tab\\t dan\nbaris baru"
    events = [note_event(report) for _ in range(batch.COPY_FROM)]
    for i, event in enumerate(events):
        event.data = {"i": i, "teks": "ä\\n"}
    earlier = OutboxMessage.objects.count()  # the report's own receipts
    with CaptureQueriesContext(connection) as ctx, batch.held():
        batch.insert(message("before"))
        batch.insert(*events, note_event(report))  # the events point at a report; keys drawn up front
        batch.insert(*many)
        assert OutboxMessage.objects.count() == earlier + len(many) + 1  # a read sees them all
        batch.insert(message("after"))
    stored = {row.dedupe_key: row for row in OutboxMessage.objects.all()}
    assert len(stored) == earlier + len(many) + 2
    assert stored["m007"].user_id == world.citizen.pk
    assert stored["m008"].subject == "kutip 'tunggal', tab\\t dan\nbaris baru"
    assert [e.data for e in TimelineEvent.objects.filter(action="note").order_by("pk")][: len(events)] == [
        {"i": i, "teks": "ä\\n"} for i in range(len(events))
    ]
    assert [e.pk for e in events] == sorted(e.pk for e in events)  # keys rise in the order of the rows
    if POSTGRESQL:  # no INSERT carried the many rows: COPY did, between the INSERTs before and after
        inserted = " ".join(writes(ctx))
        assert "m001" not in inserted and "before" in inserted and "after" in inserted


def test_a_failing_copy_fails_the_whole_batch_with_django_s_error() -> None:
    taken = message("m010")
    OutboxMessage.objects.create(**{f: getattr(taken, f) for f in ("dedupe_key", "channel", "address")})
    with pytest.raises(IntegrityError), batch.held():
        batch.insert(message("first"))
        batch.insert(*(message(f"m{i:03}") for i in range(batch.COPY_FROM + 5)))
    assert list(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == ["m010"]

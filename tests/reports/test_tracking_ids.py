"""A tracking id is random, so sooner or later one is drawn twice: at ten million reports, one filing
in about two thousand (ADR 0031). The unique index catches it and the filing draws again, on every
path that files; nothing of the attempt that lost survives."""

import random

import pytest
from django.db import IntegrityError
from django.test import Client

from lapor.core import ids
from lapor.notifications.models import OutboxMessage
from lapor.reports import services
from lapor.reports.models import Report, ReporterIdentity, TimelineEvent
from lapor.reports.services.bulk import report_submit_many
from lapor.reports.services.submit import TRACKING_ID_ATTEMPTS, ReportDraft
from lapor.reports.workflow import Status
from tests.api.helpers import post_json
from tests.factories import BODY, World, guest_report, report_in

pytestmark = pytest.mark.django_db

SEED = 20261129


class _Dice:
    """Stands in for `secrets` inside lapor.core.ids (tracking ids; access codes draw their own): a
    seeded generator, so the test knows which ids the next filings will draw. Only the source of
    chance is replaced; the id is built as always."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)  # noqa: S311  # nosec B311  # a test's dice, not a secret

    def token_bytes(self, n: int) -> bytes:
        return self._rng.randbytes(n)


def _next_draws(n: int) -> list[str]:
    """The first `n` ids that a fresh `_Dice(SEED)` yields."""
    real, ids.secrets = ids.secrets, _Dice(SEED)  # type: ignore[assignment]
    try:
        return [ids.new_tracking_id() for _ in range(n)]
    finally:
        ids.secrets = real


def _take(world: World, tracking_id: str) -> Report:
    """An existing report that already holds `tracking_id`."""
    report = report_in(world, Status.SUBMITTED)
    Report.objects.filter(pk=report.pk).update(tracking_id=tracking_id)
    return report


def test_a_filing_that_draws_a_taken_id_draws_again(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = _next_draws(2)
    holder = _take(world, first)
    monkeypatch.setattr(ids, "secrets", _Dice(SEED))

    response = post_json(Client(), "/api/v1/reports", guest_report())

    assert response.status_code == 201, response.content
    assert response.json()["tracking_id"] == second
    new = Report.objects.get(tracking_id=second)
    assert Report.objects.get(tracking_id=first).pk == holder.pk  # the holder keeps its id
    assert ReporterIdentity.objects.filter(report=new).count() == 1
    assert TimelineEvent.objects.filter(report=new).count() == 1
    # One receipt, naming the id that won: the attempt that lost left nothing behind.
    receipts = OutboxMessage.objects.filter(address="budi@contoh.id")
    assert receipts.count() == 1 and second in receipts.get().body


def test_retries_are_bounded_and_a_filing_that_never_wins_writes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    class _Stuck:
        def token_bytes(self, n: int) -> bytes:
            return bytes(n)  # always the alphabet's first character

    monkeypatch.setattr(ids, "secrets", _Stuck())
    _take(world, ids.new_tracking_id())
    before = (Report.objects.count(), TimelineEvent.objects.count(), OutboxMessage.objects.count())

    with pytest.raises(IntegrityError):
        services.report_submit(
            draft=ReportDraft(body=BODY, region="34.04", reporter_name="Budi", reporter_email="b@contoh.id"),
            actor=world.viewer("citizen"),
        )

    assert (Report.objects.count(), TimelineEvent.objects.count(), OutboxMessage.objects.count()) == before
    assert TRACKING_ID_ATTEMPTS > 1


def test_a_batch_that_draws_a_taken_id_is_filed_whole(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    draws = _next_draws(1)
    _take(world, draws[0])
    monkeypatch.setattr(ids, "secrets", _Dice(SEED))
    drafts = [
        ReportDraft(
            body=BODY,
            region="34.04",
            channel="paper",
            external_ref=f"SURAT-{n}",
            reporter_name="Budi",
            reporter_email="b@contoh.id",
        )
        for n in range(3)
    ]

    outcomes = report_submit_many(drafts=drafts, actor=world.viewer("verifier"))

    stored = [outcome.submitted.report for outcome in outcomes if outcome.submitted is not None]
    assert len(stored) == 3 and all(outcome.error is None for outcome in outcomes)
    assert len({report.tracking_id for report in stored}) == 3 and draws[0] not in {
        r.tracking_id for r in stored
    }
    assert Report.objects.filter(channel="paper", external_ref__startswith="SURAT-").count() == 3


def test_random_characters_are_drawn_fairly_from_the_alphabet() -> None:
    """Bytes at or above the last whole multiple of the alphabet's size are dropped, so no character
    is likelier than another (a plain `byte % 30` would favour the first sixteen)."""
    counts = dict.fromkeys(ids.ALPHABET, 0)
    for char in ids.random_chars(600_000, random.Random(SEED).randbytes):
        counts[char] += 1
    # 20,000 each, 5 sigma either side; with the bias, 21,094 and 18,750.
    assert all(19_300 < n < 20_700 for n in counts.values()), counts
    assert ids.random_chars(8, lambda n: bytes([239, 240, 255] * n)) == ids.ALPHABET[239 % 30] * 8

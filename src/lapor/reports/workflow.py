"""The whole workflow in one table: every status, every action, where each action may start, where it
leads and who may take it (DESIGN §5). Services consult `move_for`; nothing else decides legality."""

from dataclasses import dataclass
from typing import Final

from django.db import models
from django.utils.translation import gettext_lazy as _

from lapor.core.errors import Conflict

__all__ = [
    "ARCHIVE_REASONS",
    "DECLINE_REASONS",
    "MOVES",
    "OPEN_STATUSES",
    "Action",
    "Actor",
    "ArchiveReason",
    "DeclineReason",
    "Move",
    "Status",
    "move_for",
]


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Belum Terverifikasi")  # waiting for a verifier, or re-routing after a decline
    ON_HOLD = "on_hold", _("Ditunda")  # the verifier asked the reporter for more; the clock is paused
    ROUTED = "routed", _("Terdisposisi")  # sent to an agency, not yet accepted
    IN_PROGRESS = "in_progress", _("Diproses")  # accepted by the agency, maybe forwarded to a unit
    RESPONDED = "responded", _("Ditindaklanjuti")  # a follow-up was posted; the reporter's window is open
    CLOSED = "closed", _("Selesai")  # confirmed, or closed after the reply window passed silently
    ARCHIVED = "archived", _("Diarsipkan")  # not processed, with a reason code


class Action(models.TextChoices):
    ROUTE = "route", _("Disposisi")
    HOLD = "hold", _("Tunda")
    PROVIDE_INFO = "provide_info", _("Lengkapi informasi")
    ARCHIVE = "archive", _("Arsipkan")
    MERGE = "merge", _("Gabungkan")
    ACCEPT = "accept", _("Terima")
    FORWARD = "forward", _("Teruskan ke unit")
    DECLINE = "decline", _("Bukan wewenang")
    RESPOND = "respond", _("Tindak lanjut")
    REPLY = "reply", _("Tanggapi")
    CONFIRM = "confirm", _("Konfirmasi selesai")
    AUTO_CLOSE = "auto_close", _("Selesai otomatis")
    REOPEN = "reopen", _("Buka kembali")
    ESCALATE = "escalate", _("Eskalasi")
    EXTEND = "extend", _("Perpanjang batas penyelesaian")


class Actor(models.TextChoices):
    """The capacity in which someone acts on one report (a person may hold several)."""

    VERIFIER = "verifier", _("Verifikator")
    AGENCY_ADMIN = "agency_admin", _("Admin Instansi")
    UNIT_OFFICER = "unit_officer", _("Petugas Unit")
    REPORTER = "reporter", _("Pelapor")
    SYSTEM = "system", _("Sistem")


class ArchiveReason(models.TextChoices):
    NOT_PUBLIC_SERVICE = "not_public_service", _("Bukan pelayanan publik")
    TOO_GENERAL = "too_general", _("Terlalu umum")
    DUPLICATE = "duplicate", _("Duplikat")
    SPAM_ABUSIVE = "spam_abusive", _("Spam atau kasar")
    UNINTELLIGIBLE = "unintelligible", _("Tidak dapat dipahami")
    OUT_OF_SCOPE = "out_of_scope", _("Di luar kewenangan LAPOR")


class DeclineReason(models.TextChoices):
    NOT_AUTHORITY = "not_authority", _("Bukan wewenang")
    WRONG_LEVEL = "wrong_level", _("Tingkat pemerintahan lain")
    WRONG_UNIT = "wrong_unit", _("Unit kerja lain")


ARCHIVE_REASONS: Final = frozenset(ArchiveReason.values)
DECLINE_REASONS: Final = frozenset(DeclineReason.values)
OPEN_STATUSES: Final = frozenset(
    {Status.SUBMITTED, Status.ON_HOLD, Status.ROUTED, Status.IN_PROGRESS, Status.RESPONDED}
)

S, A, W = Status, Action, Actor


@dataclass(frozen=True)
class Move:
    sources: frozenset[Status]
    target: Status | None  # None: the status stays as it is (forward, escalate)
    actors: frozenset[Actor]


def _move(sources: set[Status], target: Status | None, actors: set[Actor]) -> Move:
    return Move(frozenset(sources), target, frozenset(actors))


MOVES: Final[dict[Action, Move]] = {
    A.ROUTE: _move({S.SUBMITTED}, S.ROUTED, {W.VERIFIER, W.AGENCY_ADMIN, W.SYSTEM}),  # system: auto-routing
    A.HOLD: _move({S.SUBMITTED}, S.ON_HOLD, {W.VERIFIER}),
    A.PROVIDE_INFO: _move({S.ON_HOLD}, S.SUBMITTED, {W.REPORTER}),
    A.ARCHIVE: _move({S.SUBMITTED, S.ON_HOLD, S.ROUTED}, S.ARCHIVED, {W.VERIFIER, W.SYSTEM}),
    A.MERGE: _move({S.SUBMITTED, S.ON_HOLD, S.ROUTED}, S.ARCHIVED, {W.VERIFIER}),
    A.ACCEPT: _move({S.ROUTED}, S.IN_PROGRESS, {W.AGENCY_ADMIN}),
    A.FORWARD: _move({S.IN_PROGRESS}, None, {W.AGENCY_ADMIN}),
    A.DECLINE: _move({S.ROUTED, S.IN_PROGRESS}, S.SUBMITTED, {W.AGENCY_ADMIN}),
    A.RESPOND: _move({S.ROUTED, S.IN_PROGRESS}, S.RESPONDED, {W.AGENCY_ADMIN, W.UNIT_OFFICER}),
    A.REPLY: _move({S.RESPONDED}, S.IN_PROGRESS, {W.REPORTER}),
    A.CONFIRM: _move({S.RESPONDED}, S.CLOSED, {W.REPORTER}),
    A.AUTO_CLOSE: _move({S.RESPONDED}, S.CLOSED, {W.SYSTEM}),
    A.REOPEN: _move({S.CLOSED}, S.IN_PROGRESS, {W.REPORTER}),
    A.ESCALATE: _move(set(OPEN_STATUSES), None, {W.SYSTEM}),
    A.EXTEND: _move({S.ROUTED, S.IN_PROGRESS}, None, {W.AGENCY_ADMIN}),
}

# Actions a person can ask for through the API or the web; the rest belong to the sweep.
SYSTEM_ONLY: Final = frozenset(action for action, move in MOVES.items() if move.actors == {W.SYSTEM})


def move_for(action: Action, status: Status) -> Move:
    """The move, or a 409 Conflict when `action` cannot start from `status`."""
    move = MOVES[action]
    if status not in move.sources:
        raise Conflict(
            f"Tindakan '{action.label}' tidak dapat dilakukan pada status '{Status(status).label}'.",
            code="invalid_transition",
        )
    return move

"""The vocabulary the demo stories are written in: a report as the citizen files it, then the actions
taken on it, in order. Each step names an action of `reports.services`; `loader` plays them through
the real services, so the demo carries the same timeline, deadlines and checks as real traffic."""

from dataclasses import dataclass, field

__all__ = [
    "Filer",
    "Step",
    "Story",
    "accept",
    "archive",
    "auto_close",
    "confirm",
    "decline",
    "escalate",
    "forward",
    "guest",
    "hold",
    "merge",
    "provide_info",
    "reopen",
    "reply",
    "respond",
    "route",
    "support",
]


@dataclass(frozen=True)
class Filer:
    """Who files the report: a demo account (`username`), or a guest who gives a name and a contact."""

    username: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""


def guest(name: str, *, email: str = "", phone: str = "") -> Filer:
    return Filer(name=name, email=email, phone=phone)


@dataclass(frozen=True)
class Step:
    """One action. `by` names the acting account when it is not the default for the action (the
    verifier for verifier actions, `admin-<agency>` for agency actions, the filer for reporter ones)."""

    action: str
    text: str = ""
    note: str = ""
    agency: str = ""
    unit: str = ""
    reason: str = ""
    rating: int | None = None
    target: str = ""  # the key of another story (merge)
    by: str = ""


@dataclass(frozen=True)
class Story:
    """One demo report from filing to wherever its steps leave it."""

    key: str
    filer: Filer
    body: str
    title: str = ""
    kind: str = "complaint"
    category: str | None = None
    region: str | None = None
    address: str = ""
    target_agency: str | None = None
    days_ago: int | None = None  # incident date, relative to the day the demo is loaded
    anonymous: bool = False
    confidential: bool = False
    channel: str = "web"
    tags: tuple[str, ...] = ()
    steps: tuple[Step, ...] = field(default_factory=tuple)


def route(agency: str, *, unit: str = "", text: str = "", note: str = "") -> Step:
    return Step("route", agency=agency, unit=unit, text=text, note=note)


def hold(text: str, *, note: str = "") -> Step:
    return Step("hold", text=text, note=note)


def provide_info(text: str) -> Step:
    return Step("provide_info", text=text)


def archive(reason: str, text: str = "", *, note: str = "") -> Step:
    return Step("archive", reason=reason, text=text, note=note)


def merge(target: str, *, note: str = "") -> Step:
    return Step("merge", target=target, note=note)


def accept(text: str = "") -> Step:
    return Step("accept", text=text)


def forward(unit: str, *, note: str = "") -> Step:
    return Step("forward", unit=unit, note=note)


def decline(reason: str, text: str = "", *, note: str = "") -> Step:
    return Step("decline", reason=reason, text=text, note=note)


def respond(text: str, *, by: str = "", note: str = "") -> Step:
    return Step("respond", text=text, by=by, note=note)


def reply(text: str) -> Step:
    return Step("reply", text=text)


def confirm(rating: int, comment: str = "") -> Step:
    return Step("confirm", rating=rating, text=comment)


def reopen(text: str) -> Step:
    return Step("reopen", text=text)


def escalate(reason: str = "") -> Step:
    """`reason` is a short code (it is stored in the event's 24-character reason column)."""
    return Step("escalate", reason=reason)


def auto_close() -> Step:
    return Step("auto_close")


def support(username: str) -> Step:
    return Step("support", by=username)

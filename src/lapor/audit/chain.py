"""The hash of an entry: pure, so `verify` recomputes exactly what `services` wrote.

hash = sha256(prev_hash + canonical JSON of the entry), the JSON with sorted keys, no spaces and UTF-8,
the time in UTC with microseconds. Floats are refused: their text may change on the way through a
JSON column, and a hash must not depend on how a database prints a number."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

__all__ = ["canonical", "check_payload", "digest", "moment"]


def moment(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_payload(value: Any, *, path: str = "payload") -> None:
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            check_payload(item, path=f"{path}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: keys must be strings")
            check_payload(item, path=f"{path}.{key}")
        return
    raise TypeError(f"{path}: {type(value).__name__} cannot be hashed stably (use str or int)")


def canonical(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_display: str,
    action: str,
    target_type: str,
    target_id: str,
    payload: dict[str, Any],
) -> str:
    body = {
        "seq": seq,
        "at": moment(at),
        "actor_id": actor_id,
        "actor_display": actor_display,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "payload": payload,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(prev_hash: str, body: str) -> str:
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()

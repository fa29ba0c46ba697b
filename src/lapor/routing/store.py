"""Model files under settings.MODEL_DIR (var/models, never in git).

Layout, one folder per head ("category", "agency"):

    var/models/category/20261128T213000Z-3f9a1c.joblib   the fitted model (joblib pickle)
    var/models/category/20261128T213000Z-3f9a1c.json     its metadata: data, counts, held-out scores
    var/models/category/active.json                      {"version": "20261128T213000Z-3f9a1c"}

Old versions stay for rollback (point active.json back). Loading a model unpickles it, so MODEL_DIR must
be writable by the operator only, like the code itself. Processes notice a new active version by the
pointer file's modification time, checked at most every few seconds.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
from django.conf import settings

from lapor.routing.model import FEATURES_VERSION, TextModel

__all__ = ["activate", "active_meta", "head_dir", "load_active", "save"]

HEADS = ("category", "agency")
POINTER = "active.json"
RECHECK_SECONDS = 5.0

_lock = threading.Lock()
_loaded: dict[str, tuple[float, float, TextModel | None]] = {}  # head -> (checked at, pointer mtime, model)


def head_dir(head: str) -> Path:
    if head not in HEADS:
        raise ValueError(f"unknown model head {head!r}")
    return Path(settings.MODEL_DIR) / head


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(model: TextModel) -> str:
    """Write a new version (model + metadata); it is not active until `activate`."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    version = f"{stamp}-{secrets.token_hex(3)}"
    model.meta["version"] = version
    folder = head_dir(model.head)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{version}.joblib.tmp"
    joblib.dump(model, tmp, compress=3)
    os.replace(tmp, folder / f"{version}.joblib")
    _write_atomically(folder / f"{version}.json", json.dumps(model.meta, indent=2, default=str).encode())
    return version


def activate(head: str, version: str) -> None:
    folder = head_dir(head)
    if not (folder / f"{version}.joblib").exists():
        raise FileNotFoundError(f"no model {head}/{version}")
    _write_atomically(folder / POINTER, json.dumps({"version": version}).encode())
    with _lock:
        _loaded.pop(head, None)


def active_meta(head: str) -> dict[str, Any] | None:
    folder = head_dir(head)
    try:
        version = json.loads((folder / POINTER).read_text())["version"]
        return dict(json.loads((folder / f"{version}.json").read_text()))
    except (OSError, ValueError, KeyError):
        return None


def _load(head: str) -> TextModel | None:
    folder = head_dir(head)
    try:
        version = json.loads((folder / POINTER).read_text())["version"]
        model = joblib.load(folder / f"{version}.joblib")
    except (OSError, ValueError, KeyError):
        return None
    if not isinstance(model, TextModel) or model.meta.get("features_version") != FEATURES_VERSION:
        return None  # written by an incompatible release: retrain
    return model


def load_active(head: str) -> TextModel | None:
    """The active model of `head`, or None when there is none (the router then uses the seed model)."""
    now = time.monotonic()
    with _lock:
        cached = _loaded.get(head)
        if cached is not None and now - cached[0] < RECHECK_SECONDS:
            return cached[2]
        try:
            mtime = (head_dir(head) / POINTER).stat().st_mtime
        except OSError:
            mtime = -1.0
        if cached is not None and cached[1] == mtime:
            _loaded[head] = (now, mtime, cached[2])
            return cached[2]
        model = _load(head) if mtime >= 0 else None
        _loaded[head] = (now, mtime, model)
        return model


def forget() -> None:
    """Drop every cached model (tests, and after changing MODEL_DIR)."""
    with _lock:
        _loaded.clear()

"""Virus scanning of uploads (`LAPOR_VIRUS_SCANNER`): off (""), ClamAV's clamd over TCP
("clamd://127.0.0.1:3310") or a Unix socket ("clamd-unix:///run/clamav/clamd.ctl"), or any callable
named by a dotted path ("package.module.scan"). A scanner takes the bytes and answers the name of what
it found, or None when clean; it raises `ScannerUnavailable` when it cannot answer.

The clamd client is our own: INSTREAM is a tiny protocol (the command, length-prefixed chunks, a zero
length, one reply line), and the PyPI `clamd` package has been unmaintained for years."""

import socket
import struct
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string

__all__ = ["Scanner", "ScannerUnavailable", "clamd_scan", "configured_scanner"]

Scanner = Callable[[bytes], str | None]
CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """The scanner could not give a verdict (down, timed out, refused the stream)."""


def _connect(address: str, timeout: float) -> socket.socket:
    parts = urlsplit(address)
    if parts.scheme == "clamd-unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(parts.path)
        return sock
    return socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 3310), timeout=timeout)


def clamd_scan(content: bytes, *, address: str, timeout: float = 10.0) -> str | None:
    """One INSTREAM exchange with clamd; the reply is "stream: OK", "stream: <name> FOUND" or an ERROR."""
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), CHUNK):
                chunk = content[start : start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < 4096:
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
    except OSError as exc:
        raise ScannerUnavailable(f"clamd at {address}: {exc}") from exc
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    verdict = answer.split(":", 1)[-1].strip()
    if verdict == "OK":
        return None
    if verdict.endswith(" FOUND"):
        return verdict.removesuffix(" FOUND").strip() or "unknown"
    raise ScannerUnavailable(f"clamd at {address} answered {answer!r}")


def configured_scanner() -> Scanner | None:
    """The scanner the settings name, or None when scanning is off."""
    value = (settings.LAPOR_VIRUS_SCANNER or "").strip()
    if not value:
        return None
    if value.startswith(("clamd://", "clamd-unix://")):
        timeout = float(settings.LAPOR_VIRUS_SCAN_TIMEOUT)
        return lambda content: clamd_scan(content, address=value, timeout=timeout)
    scanner: Scanner = import_string(value)
    return scanner

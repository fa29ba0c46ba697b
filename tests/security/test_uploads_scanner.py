"""The virus-scan hook against a real socket server that speaks clamd's INSTREAM protocol (the command,
length-prefixed chunks, a zero-length end, one reply) and, like clamd, reports the EICAR test string as
FOUND. This is the external service's protocol, so our client, the settings and the fail-closed rule
are what is tested, through the web form and the API."""

import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lapor.reports.models import Attachment, Report
from lapor.reports.scanning import ScannerUnavailable, clamd_scan
from tests.security.test_uploads import file_report, jpeg, pdf, pdf_with, upload

pytestmark = pytest.mark.django_db

# Assembled at run time, so this source file is not itself flagged by a scanner on the machine.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class ClamdHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock: socket.socket = self.request
        command = b""
        while not command.endswith((b"\0", b"\n")):
            command += sock.recv(1)
        self.server.commands.append(command)  # type: ignore[attr-defined]
        if command.strip(b"\0\n") not in (b"zINSTREAM", b"nINSTREAM"):
            sock.sendall(b"UNKNOWN COMMAND\0")
            return
        data = b""
        while True:
            (length,) = struct.unpack("!L", self._exactly(sock, 4))
            if length == 0:
                break
            data += self._exactly(sock, length)
        self.server.streams.append(data)  # type: ignore[attr-defined]
        verdict = b"stream: Eicar-Test-Signature FOUND" if EICAR in data else b"stream: OK"
        sock.sendall(verdict + (b"\0" if command.startswith(b"z") else b"\n"))

    @staticmethod
    def _exactly(sock: socket.socket, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            part = sock.recv(n - len(buf))
            if not part:
                raise ConnectionError("client went away")
            buf += part
        return buf


class TcpClamd(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ClamdHandler)
        self.commands: list[bytes] = []
        self.streams: list[bytes] = []


class UnixClamd(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

    def __init__(self, path: str) -> None:
        super().__init__(path, ClamdHandler)
        self.commands: list[bytes] = []
        self.streams: list[bytes] = []


@pytest.fixture
def clamd() -> Iterator[TcpClamd]:
    server = TcpClamd()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(params=["web", "api"])
def surface(request: pytest.FixtureRequest, world: Any, settings: Any) -> str:
    settings.LAPOR_RATE_LIMITS = {}
    return str(request.param)


# --- The client against the protocol -----------------------------------------------------------------


def test_clamd_client_streams_in_chunks_and_reads_the_verdict(clamd: TcpClamd) -> None:
    address = f"clamd://127.0.0.1:{clamd.server_address[1]}"
    big = b"a" * 200_000 + EICAR  # more than one 64 kB chunk, the signature in the last one
    assert clamd_scan(big, address=address) == "Eicar-Test-Signature"
    assert clamd_scan(b"%PDF-1.4 bersih", address=address) is None
    assert clamd.commands == [b"zINSTREAM\0", b"zINSTREAM\0"]
    assert clamd.streams == [big, b"%PDF-1.4 bersih"]


def test_clamd_client_over_a_unix_socket(tmp_path: Path) -> None:
    path = str(tmp_path / "clamd.sock")
    server = UnixClamd(path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert clamd_scan(EICAR, address=f"clamd-unix://{path}") == "Eicar-Test-Signature"
        assert clamd_scan(b"bersih", address=f"clamd-unix://{path}") is None
    finally:
        server.shutdown()
        server.server_close()


def test_unreachable_or_confused_clamd_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(ScannerUnavailable):
        clamd_scan(b"x", address=f"clamd://127.0.0.1:{_closed_port()}", timeout=2)
    with pytest.raises(ScannerUnavailable):
        clamd_scan(b"x", address=f"clamd-unix://{tmp_path / 'none.sock'}", timeout=2)


# --- The hook on both surfaces ---------------------------------------------------------------------------


def test_infected_upload_is_rejected_and_nothing_is_stored(
    surface: str, clamd: TcpClamd, settings: Any
) -> None:
    settings.LAPOR_VIRUS_SCANNER = f"clamd://127.0.0.1:{clamd.server_address[1]}"
    infected = pdf_with(b"%" + EICAR)
    outcome = file_report(surface, [upload("surat.pdf", infected, "application/pdf")])
    assert outcome.rejected_with("infected")
    assert clamd.streams == [infected]  # the bytes as uploaded reached the scanner


def test_infected_image_is_caught_before_reencoding_would_hide_it(
    surface: str, clamd: TcpClamd, settings: Any
) -> None:
    settings.LAPOR_VIRUS_SCANNER = f"clamd://127.0.0.1:{clamd.server_address[1]}"
    outcome = file_report(surface, [upload("foto.jpg", jpeg() + EICAR, "image/jpeg")])
    assert outcome.rejected_with("infected")


def test_clean_upload_passes_the_scanner(surface: str, clamd: TcpClamd, settings: Any) -> None:
    settings.LAPOR_VIRUS_SCANNER = f"clamd://127.0.0.1:{clamd.server_address[1]}"
    outcome = file_report(surface, [upload("surat.pdf", pdf(), "application/pdf")])
    assert outcome.report is not None, outcome.text[:300]
    assert outcome.report.attachments.count() == 1 and clamd.streams == [pdf()]


def test_scanner_down_fails_closed_with_a_retryable_error(surface: str, settings: Any) -> None:
    settings.LAPOR_VIRUS_SCANNER = f"clamd://127.0.0.1:{_closed_port()}"
    settings.LAPOR_VIRUS_SCAN_TIMEOUT = 2
    outcome = file_report(surface, [upload("surat.pdf", pdf(), "application/pdf")])
    assert outcome.rejected_with("scan_unavailable")


def test_scanner_down_may_be_configured_to_fail_open(surface: str, settings: Any) -> None:
    settings.LAPOR_VIRUS_SCANNER = f"clamd://127.0.0.1:{_closed_port()}"
    settings.LAPOR_VIRUS_SCAN_FAIL_OPEN = True
    outcome = file_report(surface, [upload("surat.pdf", pdf(), "application/pdf")])
    assert outcome.report is not None and outcome.report.attachments.count() == 1


def test_report_without_files_never_calls_the_scanner(surface: str, settings: Any) -> None:
    settings.LAPOR_VIRUS_SCANNER = f"clamd://127.0.0.1:{_closed_port()}"
    outcome = file_report(surface, [])
    assert outcome.report is not None and Report.objects.count() == 1


# A scanner named by dotted path: another engine plugs in the same way.
SEEN: list[bytes] = []


def rejects_everything_with_a_marker(content: bytes) -> str | None:
    SEEN.append(content)
    return "Contoh.Malware" if b"JAHAT" in content else None


def broken_scanner(content: bytes) -> str | None:
    raise RuntimeError("engine crashed")


def test_dotted_path_scanner_is_used(surface: str, settings: Any) -> None:
    SEEN.clear()
    settings.LAPOR_VIRUS_SCANNER = f"{__name__}.rejects_everything_with_a_marker"
    bad = file_report(surface, [upload("surat.pdf", pdf_with(b"%JAHAT"), "application/pdf")])
    assert bad.rejected_with("infected")
    good = file_report(surface, [upload("surat.pdf", pdf(), "application/pdf")])
    assert good.report is not None and Attachment.objects.count() == 1
    assert len(SEEN) == 2


def test_a_crashing_plugin_fails_closed(surface: str, settings: Any) -> None:
    settings.LAPOR_VIRUS_SCANNER = f"{__name__}.broken_scanner"
    outcome = file_report(surface, [upload("surat.pdf", pdf(), "application/pdf")])
    assert outcome.rejected_with("scan_unavailable")

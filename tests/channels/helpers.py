import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

SECRET = "rahasia-gerbang"  # the SMS gateway's shared secret in tests


class Gateway:
    """An SMS gateway (or a bridge) on 127.0.0.1 that records what LAPOR sends it."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append(json.loads(body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def texts_to(self, number: str) -> list[str]:
        return [m["text"] for m in self.received if m["to"] == number]

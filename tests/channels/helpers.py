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


MENTION = {
    "platform": "x",
    "url": "https://x.com/warga_sleman/status/1860000000000000001",
    "author": "@warga_sleman",
    "text": "@lapor1708 lampu lalu lintas di simpang Monjali mati total dari pagi, macet parah!",
}


def push_twice(client: Any, mention: dict[str, str]) -> str:
    """A bridge pushes a mention, then retries it: one tracking id, created once. Returns it."""
    first = client.post("/channels/social/inbound", data=mention, content_type="application/json")
    again = client.post("/channels/social/inbound", data=mention, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200), (first.content, again.content)
    assert first.json()["tracking_id"] == again.json()["tracking_id"]
    return str(first.json()["tracking_id"])

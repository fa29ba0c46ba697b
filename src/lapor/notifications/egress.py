"""Where webhooks may go: public internet addresses only, unless the operator allows private ones (a
receiver on the same network). Citizens may subscribe, so without this anyone could make LAPOR's
workers call internal services (SSRF): the database's admin port, a cloud metadata address, Redis.

The name is resolved once per delivery, and the connection goes to the address that was checked
(`opener`): resolving again to connect would let a name answer a public address to the check and a
private one to the connection (DNS rebinding). Redirects are not followed, since a receiver could
otherwise send the POST on to an internal address."""

import http.client
import ipaddress
import socket
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

__all__ = ["PrivateAddress", "names_private_host", "opener"]


class PrivateAddress(OSError):
    """Delivery refused: the URL's host is, or resolves to, an address that is not on the internet."""


def _is_public(address: str) -> bool:
    return ipaddress.ip_address(address.split("%", 1)[0]).is_global


def names_private_host(url: str) -> bool:
    """Without a DNS lookup: the URL names localhost or a literal non-public address."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return not _is_public(host)
    except ValueError:  # a name, not an address: checked again at delivery, after resolving
        return False


def _checked_address(host: str, port: int) -> str:
    """One address of `host`, after every address it resolves to has been found public. Checked at
    each delivery, since DNS changes."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [str(sockaddr[0]) for *_, sockaddr in found]
    if not settings.LAPOR_WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            if not _is_public(address):
                raise PrivateAddress(f"refusing to deliver to a non-public address ({address})")
    if not addresses:
        raise PrivateAddress(f"{host} resolves to no address")
    return addresses[0]


def _connect(address: tuple[str, int], timeout: Any = None, source: Any = None, *_: Any) -> socket.socket:
    host, port = address
    return socket.create_connection((_checked_address(host, port), port), timeout, source)


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect  # http.client dials through this attribute


class _HTTPSConnection(http.client.HTTPSConnection):
    # TLS still names the host (SNI and the certificate check), whichever address was dialled.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _connect


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx reaches the caller as an answer, and the delivery is retried


def opener() -> urllib.request.OpenerDirector:
    """urllib that dials only checked addresses and does not follow redirects."""
    return urllib.request.build_opener(_HTTPHandler, _HTTPSHandler, _NoRedirect)

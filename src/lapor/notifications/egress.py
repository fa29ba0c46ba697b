"""Where webhooks may go: public internet addresses only, unless the operator allows private ones (a
receiver on the same network). Citizens may subscribe, so without this anyone could make LAPOR's
workers call internal services (SSRF): the database's admin port, a cloud metadata address, Redis."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

__all__ = ["PrivateAddress", "check_destination", "names_private_host"]


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


def check_destination(url: str) -> None:
    """Every address the host resolves to must be public. Checked at each delivery, since DNS changes."""
    if settings.LAPOR_WEBHOOK_ALLOW_PRIVATE:
        return
    host = urlsplit(url).hostname
    if not host:
        raise PrivateAddress("the URL has no host")
    for *_, sockaddr in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP):
        if not _is_public(str(sockaddr[0])):
            raise PrivateAddress(f"refusing to deliver to a non-public address ({sockaddr[0]})")

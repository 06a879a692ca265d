"""Server-side request forgery refused: where a webhook may be sent.

Only https, or http to a host listed in SILAHAP_WEBHOOK_ALLOWED_HOSTS (comma-separated names,
for development and for the tests' receiver on loopback). Every other host must resolve only to
public addresses: no loopback, private, link-local (cloud metadata), shared, multicast or
reserved address, checked again at each send, and the connection then goes to the address that
was checked, so a name cannot resolve to a public address for the check and a private one for
the connection.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

ALLOWED_HOSTS_ENV = "SILAHAP_WEBHOOK_ALLOWED_HOSTS"
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data"})


class UnsafeTarget(ValueError):
    """The URL may not receive webhooks; the message says why (shown to the administrator)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def allowed_hosts() -> frozenset[str]:
    raw = os.environ.get(ALLOWED_HOSTS_ENV, "")
    return frozenset(part.strip().lower() for part in raw.split(",") if part.strip())


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeTarget(_("The host name does not resolve.")) from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    return sorted(addresses, key=lambda address: ":" in address)  # IPv4 first, as curl tries


def check_url(url: str) -> Target:
    """The target to connect to, or UnsafeTarget saying why not."""
    if len(url) > 500:
        raise UnsafeTarget(_("The URL is too long."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeTarget(_("The URL is not valid.")) from error
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or parts.username or parts.password:
        raise UnsafeTarget(_("The URL needs a host and no user name or password."))
    listed = host in allowed_hosts()
    if not (parts.scheme == "https" or (parts.scheme == "http" and listed)):
        raise UnsafeTarget(_("Webhooks are sent over https only."))
    port = port or (443 if parts.scheme == "https" else 80)
    if host in METADATA_HOSTS and not listed:
        raise UnsafeTarget(_("This address is not allowed for webhooks."))
    addresses = resolve(host, port)
    if not addresses:
        raise UnsafeTarget(_("The host name does not resolve."))
    if not listed and not all(is_public(address) for address in addresses):
        raise UnsafeTarget(
            _("This host resolves to a private, loopback or link-local address; not allowed.")
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme=parts.scheme, host=host, port=port, path=path, address=addresses[0])

"""The client's address, for every rate limit and every record that keeps one.

``REMOTE_ADDR`` is the machine that opened the connection. Behind a reverse proxy that is the
proxy, so every client would share one budget; but ``X-Forwarded-For`` is written by whoever
sends the request, so it can be believed only as far as it was written by proxies we run.
``TONGBAN_TRUSTED_PROXIES`` lists them (addresses or networks). The chain is read from the
right — the connecting machine first, then each address the proxies appended — skipping
trusted hops; the first address that is not a trusted proxy is the client. Anything further
left was written by the client itself and is ignored.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TONGBAN_TRUSTED_PROXIES", ()) or ()))


def parse_address(text: str) -> Address | None:
    """An address as proxies write it (``203.0.113.7``, ``203.0.113.7:5133``, ``[2001:db8::1]:443``,
    ``2001:db8::1``), or None for anything else (``unknown``, an obfuscated identifier)."""
    text = (text or "").strip().strip('"')
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4 with a port; IPv6 has at least two colons
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_address_from(remote_addr: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The client's address given the connection's address, the ``X-Forwarded-For`` header
    (several headers joined by commas) and the trusted proxies."""
    current = parse_address(remote_addr)
    if current is None:
        return remote_addr or ""
    for entry in reversed((forwarded_for or "").split(",")):
        if not _trusted(current, networks):
            break
        previous = parse_address(entry)
        if previous is None:
            break  # a trusted proxy would not write this: stop at the last hop we can name
        current = previous
    return str(current)


def client_address(request) -> str:
    """The address of the client that sent ``request`` (see the module's docstring)."""
    return client_address_from(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        trusted_proxies(),
    )


def client_network(request) -> str:
    """The client's budget holder: its address, or its /64 for IPv6 (one subscriber usually
    holds a whole /64, and would otherwise get a fresh budget per address)."""
    text = client_address(request)
    address = parse_address(text)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False).network_address) + "/64"
    return text

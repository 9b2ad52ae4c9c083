"""Whose address is it: X-Forwarded-For is believed only as far as our own proxies wrote it."""

import pytest
from django.test import RequestFactory

from tongban.core.clientaddress import (
    _networks,
    client_address,
    client_address_from,
    client_network,
    parse_address,
)

PROXIES = _networks(("10.0.0.0/8", "192.0.2.10", "2001:db8:ffff::/48"))


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "expected"),
    [
        # No proxy in front: the connection is the client, whatever the header says.
        ("203.0.113.7", "", "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
        ("203.0.113.7", "10.0.0.5, 198.51.100.1", "203.0.113.7"),
        # Behind our proxy: the address it appended.
        ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
        # A client spoofing the header behind our proxy: its forged entries are on the left.
        ("10.0.0.2", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "10.0.0.9, 198.51.100.1", "198.51.100.1"),
        # A chain of trusted proxies, each appending: skip them all from the right.
        ("10.0.0.2", "198.51.100.1, 192.0.2.10, 10.1.2.3", "198.51.100.1"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.1, 192.0.2.10", "198.51.100.1"),
        # Repeated headers arrive joined by commas; spaces and ports do not matter.
        ("10.0.0.2", "9.9.9.9,198.51.100.1:5133", "198.51.100.1"),
        # Our proxy but no header (a health check): the proxy itself.
        ("10.0.0.2", "", "10.0.0.2"),
        # Garbage where a trusted proxy should have written an address: stop at the proxy.
        ("10.0.0.2", "198.51.100.1, unknown", "10.0.0.2"),
        # Every hop trusted: the left-most one we can name.
        ("10.0.0.2", "10.0.0.3, 10.0.0.4", "10.0.0.3"),
        # IPv6, bracketed with a port, and IPv4 written as IPv6.
        ("2001:db8:ffff::1", "[2001:db8:1::7]:443", "2001:db8:1::7"),
        ("::ffff:10.0.0.2", "198.51.100.1", "198.51.100.1"),
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(
    remote_addr, forwarded_for, expected
):
    assert client_address_from(remote_addr, forwarded_for, PROXIES) == expected


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TONGBAN_TRUSTED_PROXIES = []
    request = RequestFactory().get(
        "/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert client_address(request) == "203.0.113.7"


def test_behind_a_configured_proxy_clients_are_told_apart(settings):
    settings.TONGBAN_TRUSTED_PROXIES = ["127.0.0.1"]
    factory = RequestFactory()
    first = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert client_address(first) == "198.51.100.1"
    assert client_address(second) == "198.51.100.2"


def test_ipv6_clients_share_the_budget_of_their_64(settings):
    settings.TONGBAN_TRUSTED_PROXIES = []
    factory = RequestFactory()
    one = factory.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    other = factory.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert client_network(one) == client_network(other) == "2001:db8:1:2::/64"
    assert client_network(factory.get("/", REMOTE_ADDR="203.0.113.7")) == "203.0.113.7"


@pytest.mark.parametrize("text", ["", "unknown", "_hidden", "300.1.1.1", "1.2.3.4:x:y"])
def test_what_is_not_an_address(text):
    assert parse_address(text) is None

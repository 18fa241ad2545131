"""The address policy on its own: number spellings, address classes, allow-lists. No sockets."""

from __future__ import annotations

import ipaddress

import pytest

from cityevents.errors import BlockedAddress, FetchError
from cityevents.ingest.netguard import AddressGuard, address_problem, canonical_host, parse_inet_aton

from .conftest import FakeResolver


@pytest.mark.parametrize(
    ("spelling", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0X7F.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("10.1.65535", "10.1.255.255"),
        ("0", "0.0.0.0"),
        ("017700000001", "127.0.0.1"),
    ],
)
def test_inet_aton_spellings(spelling: str, address: str) -> None:
    assert parse_inet_aton(spelling) == ipaddress.IPv4Address(address)


@pytest.mark.parametrize("name", ["256.1", "1.2.3.4.5", "08.0.0.1", "events.test", "127.0.0.1x", "", "1..1"])
def test_not_inet_aton(name: str) -> None:
    assert parse_inet_aton(name) is None


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("100.64.0.1", "shared"),
        ("240.0.0.1", "reserved"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "wrapping 127.0.0.1, a loopback"),
        ("::127.0.0.1", "wrapping 127.0.0.1, a loopback"),
        ("2002:a00:1::", "wrapping 10.0.0.1, a private"),
        ("64:ff9b::a9fe:a9fe", "wrapping 169.254.169.254, a link-local"),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", "wrapping 127.0.0.1, a loopback"),  # Teredo
    ],
)
def test_refused_address_classes(address: str, reason: str) -> None:
    problem = address_problem(ipaddress.ip_address(address))
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "2002:5db8:d822::"]
)
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) is None


def test_every_resolved_address_must_pass() -> None:
    answers = {"public.test": ["93.184.216.34"], "mixed.test": ["93.184.216.34", "10.0.0.1"]}
    guard = AddressGuard(resolver=FakeResolver(answers))
    assert guard.check_url("https", "public.test", None) == ["93.184.216.34"]
    with pytest.raises(BlockedAddress, match="10.0.0.1"):
        guard.check_url("https", "mixed.test", None)


def test_literals_are_never_sent_to_the_resolver() -> None:
    resolver = FakeResolver({})
    with pytest.raises(BlockedAddress):
        AddressGuard(resolver=resolver).check_url("http", "0x7f.1", 80)
    assert resolver.calls == []


def test_unresolvable_name_is_a_fetch_error() -> None:
    with pytest.raises(FetchError, match="cannot resolve"):
        AddressGuard(resolver=FakeResolver({})).check_url("http", "nowhere.test", None)


def test_schemes_and_ports() -> None:
    guard = AddressGuard(allow_private=True, resolver=FakeResolver({}))
    for scheme in ("file", "ftp", "gopher", ""):
        with pytest.raises(BlockedAddress, match="only http and https"):
            guard.check_url(scheme, "127.0.0.1", None)
    with pytest.raises(FetchError, match="invalid port"):
        guard.check_url("http", "127.0.0.1", 70000)


@pytest.mark.parametrize(
    ("entry", "host", "port", "trusted"),
    [
        ("intranet.test", "intranet.test", 8080, True),
        ("intranet.test:8080", "INTRANET.test.", 8080, True),
        ("intranet.test:8080", "intranet.test", 8081, False),
        ("10.1.2.3:80", "167838211", 80, True),  # 10.1.2.3 spelled as one number
        ("[fd00::1]:8080", "fd00:0::1", 8080, True),
        ("fd00::1", "fd00::1", 443, True),
    ],
)
def test_allow_hosts_entries(entry: str, host: str, port: int, trusted: bool) -> None:
    assert AddressGuard(allow_hosts={entry}).is_trusted(host, port) is trusted


def test_allow_hosts_rejects_bad_port() -> None:
    with pytest.raises(ValueError, match="port must be a number"):
        AddressGuard(allow_hosts={"intranet.test:http"})


def test_canonical_host() -> None:
    assert canonical_host("Events.Test.") == "events.test"
    assert canonical_host("[::FFFF:127.0.0.1]") == "::ffff:7f00:1"
    assert canonical_host("0x7f.1") == "127.0.0.1"

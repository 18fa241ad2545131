"""The address policy behind the fetcher's SSRF guard.

A URL is fetched only if its scheme is http or https and every address its host resolves to is a public
unicast address. Refused: loopback, private (RFC 1918, ULA), link-local (169.254.0.0/16, fe80::/10,
including cloud metadata endpoints), multicast, reserved, unspecified, shared address space
(100.64.0.0/10) and any other range Python's :mod:`ipaddress` does not call global. IPv6 addresses that
carry an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``, 6to4 ``2002::/16``,
Teredo, NAT64 ``64:ff9b::/96``) are judged by the IPv4 address inside as well.

Host names that the C library would read as IPv4 numbers (``2130706433``, ``0177.0.0.1``, ``0x7f.1``,
``127.1``) are normalised with the rules of ``inet_aton`` and judged as addresses, never sent to DNS.

Two escape hatches, both explicit:

* ``allow_private=True`` turns the address policy off (for people who run cityevents next to their own
  intranet sources). The scheme check stays.
* ``allow_hosts`` names single hosts that may be reached whatever they resolve to: ``"intranet.example"``
  (any port) or ``"intranet.example:8080"`` / ``"10.1.2.3:8080"`` / ``"[fd00::1]:8080"`` (that port only).
  Trust in such a name includes trust in its DNS.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from collections.abc import Callable, Iterable, Sequence

from cityevents.errors import BlockedAddress, FetchError

LOGGER = logging.getLogger(__name__)

Resolver = Callable[[str, int], Sequence[str]]
"""``resolver(host, port)`` returns the IP addresses (as strings) a host name stands for."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
SHARED_ADDRESS_SPACE = ipaddress.IPv4Network("100.64.0.0/10")
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
# One inet_aton component: hex (0x..), octal (leading 0) or decimal.
INET_ATON_PART = re.compile(r"0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*")
# inet_aton: a.b.c.d = 8.8.8.8 bits, a.b.c = 8.8.16, a.b = 8.24, a = 32.
INET_ATON_WIDTHS = {1: (32,), 2: (8, 24), 3: (8, 8, 16), 4: (8, 8, 8, 8)}
HINT = "to permit it: --allow-private on the command line; allow_hosts={...} or allow_private=True in Python"


def system_resolver(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the operating system's resolver (``getaddrinfo``).

    Raises:
        FetchError: the name does not resolve.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def parse_inet_aton(host: str) -> ipaddress.IPv4Address | None:
    """Read ``host`` as ``inet_aton`` would (``127.1``, ``0x7f000001``, ``0177.0.0.1``), or return None."""
    parts = host.split(".")
    widths = INET_ATON_WIDTHS.get(len(parts))
    if widths is None or not all(INET_ATON_PART.fullmatch(part) for part in parts):
        return None
    value = 0
    for part, width in zip(parts, widths):
        if part[:2].lower() == "0x":
            number = int(part[2:] or "0", 16)
        elif part.startswith("0"):
            number = int(part, 8)
        else:
            number = int(part)
        if number >= 1 << width:
            return None
        value = (value << width) | number
    return ipaddress.IPv4Address(value)


def parse_address(host: str) -> IPAddress | None:
    """Return the IP address a URL host spells, in any form the C library accepts, or None for a name."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if "%" in host:  # IPv6 zone id as a URL spells it: fe80::1%25eth0
        try:
            return ipaddress.ip_address(host.replace("%25", "%", 1))
        except ValueError:
            return None
    return parse_inet_aton(host)


def canonical_host(host: str) -> str:
    """Lower-case ``host``, drop a trailing dot and write IP addresses in their standard form."""
    host = host.strip("[]").rstrip(".").lower()
    address = parse_address(host)
    return str(address) if address is not None else host


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 transition address carries, if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64_PREFIX or (address in IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_problem(address: IPAddress) -> str | None:
    """Say why ``address`` must not be fetched from ("a loopback address"), or None if it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            problem = address_problem(inner)
            if problem is not None:
                return f"an IPv6 address wrapping {inner}, {problem}"
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address in SHARED_ADDRESS_SPACE, "a shared (carrier-grade NAT) address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "a non-public address"),
    )
    return next((reason for failed, reason in checks if failed), None)


def _parse_allow_entry(entry: str) -> tuple[str, int | None]:
    """Split ``host``, ``host:port`` or ``[v6]:port`` into a canonical host and an optional port."""
    entry = entry.strip()
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif entry.count(":") == 1:
        host, port = entry.split(":")
    else:
        host, port = entry, ""
    if port and not port.isdigit():
        raise ValueError(f"allow_hosts entry {entry!r}: port must be a number")
    return canonical_host(host), int(port) if port else None


class AddressGuard:
    """Decide which URLs and addresses may be contacted, and resolve names to vetted addresses.

    Args:
        allow_private: turn the address policy off (schemes are still checked).
        allow_hosts: hosts reachable whatever they resolve to, as ``host`` or ``host:port``.
        resolver: name resolution, :func:`system_resolver` by default; tests inject a fake.
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        allow_hosts: Iterable[str] = (),
        resolver: Resolver | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.allow_hosts = frozenset(_parse_allow_entry(entry) for entry in allow_hosts)
        self.resolver: Resolver = resolver or system_resolver

    def is_trusted(self, host: str, port: int) -> bool:
        """True when the policy is off or ``host:port`` is on the allow-list."""
        host = canonical_host(host)
        return self.allow_private or bool({(host, port), (host, None)} & self.allow_hosts)

    def check_url(self, scheme: str, host: str, port: int | None) -> list[str]:
        """Vet one URL's parts before any connection; return the addresses it may be reached at.

        Raises:
            BlockedAddress: a scheme other than http/https, or an address the policy refuses.
            FetchError: the host does not resolve, or the port is out of range.
        """
        if scheme not in ALLOWED_SCHEMES:
            raise BlockedAddress(f"refusing {scheme or 'scheme-less'} URL: only http and https are fetched")
        if not host:
            raise BlockedAddress("refusing a URL without a host")
        effective_port = DEFAULT_PORTS[scheme] if port is None else port
        if not 0 < effective_port < 65536:
            raise FetchError(f"invalid port {effective_port}")
        return self.resolve(host, effective_port)

    def resolve(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` and return its addresses, all of them vetted.

        Raises:
            BlockedAddress: the host is, or resolves to, an address the policy refuses.
            FetchError: the host does not resolve.
        """
        trusted = self.is_trusted(host, port)
        literal = parse_address(host)
        if literal is not None:
            addresses = [str(literal)]
        else:
            addresses = list(self.resolver(canonical_host(host), port))
            if not addresses:
                raise FetchError(f"cannot resolve host {host!r}: no addresses")
        if trusted:
            return addresses
        for text in addresses:
            address = parse_address(text)
            problem = "not an IP address" if address is None else address_problem(address)
            if problem is not None:
                named = text if text == host else f"{host} ({text})"
                LOGGER.info("blocked %s:%s -> %s: %s", host, port, text, problem)
                raise BlockedAddress(f"refusing to connect to {named}: it is {problem} ({HINT})")
        return addresses

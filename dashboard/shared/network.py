"""Where this machine can be reached from the room: its own network addresses, for the
classroom command's certificate and printout and for the phone link's advice."""

from __future__ import annotations

import ipaddress
import socket

import psutil


def network_addresses() -> list[str]:
    """This machine's IPv4 addresses a phone on the same network may reach: the one the
    default route uses first, then every other interface's (a hotspot, a second network
    card), never loopback or link-local (169.254.*: no router gave it)."""
    found: list[str] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: it only picks the route
            found.append(probe.getsockname()[0])
        except OSError:  # no default route: an isolated or unplugged laptop
            pass
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family == socket.AF_INET and address.address not in found:
                found.append(address.address)
    return [
        a for a in found if not (ip := ipaddress.ip_address(a)).is_loopback and not ip.is_link_local
    ]

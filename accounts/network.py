"""The client's address, as the trusted reverse proxies in front of the application saw it.

Each proxy appends the address it received the request from to X-Forwarded-For, so with
TRUSTED_PROXY_COUNT proxies the client is the TRUSTED_PROXY_COUNT-th entry from the right. Entries
further left were written by the client itself and prove nothing; they are never read. With no
trusted proxy (the default), or a request that reached the application without passing them all,
the address is the connection's own.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def address_key(ip: str) -> str:
    """The unit an address is throttled as: an IPv4 address, or its /64 network for IPv6 (one
    subscriber usually holds a whole /64, so single IPv6 addresses would be free to rotate)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip or "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address) + "/64"
    return str(address)

# Copied by workers-ai-codegen from generator/runtime/_urls.py: edit it there.
"""Checking the base URL once, when a client is made.

Refused (`ConfigurationError`): schemes other than http/https (`ftp://`, `file://` would otherwise be
"retried" as connection errors), a missing host, user info, and a query or fragment (`?x=1#f` would
swallow the path every request appends).

`http://` to a host other than loopback (`localhost`, 127.0.0.0/8, `::1`) sends the API token in clear:
allowed, because local gateways and proxies use it, but it raises `InsecureTransportWarning` once per
client so it is never silent (turn it into an error with `warnings.simplefilter("error",
InsecureTransportWarning)`).
"""

from __future__ import annotations

import ipaddress
import warnings

import httpx

from ._limits import shorten
from .errors import ConfigurationError, InsecureTransportWarning

__all__ = ["check_base_url"]


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(raw: str) -> str:
    """The base URL without a trailing slash, or `ConfigurationError`."""
    text = raw.rstrip("/")
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise ConfigurationError(f"base_url is not a URL: {shorten(repr(raw), 200)}") from None
    if url.scheme not in ("http", "https"):
        raise ConfigurationError(f"base_url must use https:// (or http://), not {shorten(repr(raw), 200)}")
    if not url.host:
        raise ConfigurationError(f"base_url has no host: {shorten(repr(raw), 200)}")
    if url.userinfo:
        raise ConfigurationError("base_url must not contain user info (user:password@); use api_token=")
    if url.query or url.fragment or "?" in text or "#" in text:
        raise ConfigurationError(
            f"base_url must not have a query or fragment (the API path is appended to it): {shorten(repr(raw), 200)}"
        )
    if url.scheme == "http" and not _is_loopback(url.host):
        warnings.warn(
            f"base_url {text!r} uses plain http:// to a non-loopback host: the API token is sent unencrypted",
            InsecureTransportWarning,
            stacklevel=4,
        )
    return text

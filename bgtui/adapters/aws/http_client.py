"""HTTP GET through urllib3 with connect and read timeouts: the HttpPort smoke checks use."""

from __future__ import annotations

import os
import threading
from urllib.parse import urlparse

import urllib3

from bgtui import __version__
from bgtui.core.errors import BadInput, EndpointUnreachable
from bgtui.core.ports import HttpAnswer

MAX_BODY_BYTES = 256 * 1024
"""Bytes of an answer kept: enough to judge a smoke check, bounded whatever the server sends."""


class HttpClient:
    """HttpPort over urllib3, the HTTP library botocore itself uses.

    Proxies and the CA bundle are chosen as botocore chooses them for AWS calls
    (`HTTPS_PROXY`/`NO_PROXY`, `AWS_CA_BUNDLE`), so a request that reaches AWS's APIs from a
    bastion also reaches the stage. Nothing is retried and redirects are not followed: a smoke
    check judges the first answer.
    """

    def __init__(self, connect_timeout_s: float = 5.0, read_timeout_s: float = 30.0) -> None:
        # API Gateway gives up on an integration after 29 s by default and answers 504 itself.
        self._timeout = urllib3.Timeout(connect=connect_timeout_s, read=read_timeout_s)
        self._read_timeout_s = read_timeout_s
        self._lock = threading.Lock()
        self._pools: dict[str, urllib3.PoolManager] = {}

    def get(self, url: str) -> HttpAnswer:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise BadInput(f"{url!r} is not an http(s) URL")
        headers = {"User-Agent": f"bgtui/{__version__} smoke-check", "Accept": "*/*"}
        try:
            response = self._pool_for(url).request(
                "GET",
                url,
                headers=headers,
                timeout=self._timeout,
                retries=False,
                redirect=False,
                preload_content=False,
            )
            try:
                body = response.read(MAX_BODY_BYTES, decode_content=True)
            finally:
                response.close()
        except urllib3.exceptions.ReadTimeoutError:
            raise EndpointUnreachable(f"no answer within {self._read_timeout_s:g} s") from None
        except urllib3.exceptions.HTTPError as error:
            raise EndpointUnreachable(_reason(error)) from None
        return HttpAnswer(
            response.status,
            {name.lower(): value for name, value in response.headers.items()},
            body.decode("utf-8", "replace"),
        )

    def _pool_for(self, url: str) -> urllib3.PoolManager:
        from botocore.utils import get_environ_proxies  # the SDK loads with the first call

        proxy = get_environ_proxies(url).get(urlparse(url).scheme, "")
        with self._lock:
            pool = self._pools.get(proxy)
            if pool is None:
                pool = _make_pool(proxy)
                self._pools[proxy] = pool
            return pool


def _make_pool(proxy: str) -> urllib3.PoolManager:
    from botocore.httpsession import get_cert_path

    ca_certs = os.environ.get("AWS_CA_BUNDLE") or get_cert_path(True)
    if proxy:
        return urllib3.ProxyManager(proxy, num_pools=4, ca_certs=ca_certs)
    return urllib3.PoolManager(num_pools=4, ca_certs=ca_certs)


def _reason(error: urllib3.exceptions.HTTPError) -> str:
    """A one-line reason; urllib3's own messages carry object reprs."""
    if isinstance(error, urllib3.exceptions.NameResolutionError):
        return "the host name does not resolve"
    if isinstance(error, urllib3.exceptions.ConnectTimeoutError) and not isinstance(
        error, urllib3.exceptions.NewConnectionError
    ):
        return "no connection within the connect timeout"
    if isinstance(error, urllib3.exceptions.NewConnectionError):
        return "the connection was refused or could not be made"
    if isinstance(error, urllib3.exceptions.SSLError):
        return "the TLS handshake failed (certificate or proxy)"
    if isinstance(error, urllib3.exceptions.ProxyError):
        return "the proxy refused or failed the request"
    return f"the request failed ({type(error).__name__})"

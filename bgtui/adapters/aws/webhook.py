"""A webhook NotifierPort: each event POSTed as a Slack-compatible JSON body, once per call."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from urllib.parse import urlparse

import urllib3

from bgtui import __version__
from bgtui.adapters.aws.http_client import _make_pool, _reason
from bgtui.core.errors import EndpointUnreachable, OperationFailed
from bgtui.core.notification import webhook_host
from bgtui.core.release_event import ReleaseEvent, webhook_body


class Webhook:
    """POSTs events to one URL, asked of `url_source` at the first delivery (a keyring read).

    Nothing is retried here and redirects are not followed: the caller retries, and a
    redirect would carry the event somewhere the operator did not configure.
    """

    def __init__(
        self,
        url_source: Callable[[], str],
        name: str,
        connect_timeout_s: float = 3.0,
        read_timeout_s: float = 5.0,
    ) -> None:
        self._url_source = url_source
        self._name = name
        self._url = ""
        self._lock = threading.Lock()
        self._timeout = urllib3.Timeout(connect=connect_timeout_s, read=read_timeout_s)
        self._read_timeout_s = read_timeout_s

    @property
    def target(self) -> str:
        return f"webhook {webhook_host(self._url) if self._url else self._name}"

    def deliver(self, event: ReleaseEvent) -> None:
        url = self._resolved()
        body = json.dumps(webhook_body(event), ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "User-Agent": f"bgtui/{__version__}"}
        from botocore.utils import get_environ_proxies  # the SDK loads with the first call

        try:
            # Proxies chosen as for AWS calls (HTTPS_PROXY, NO_PROXY): a bastion reaches out so.
            proxy = get_environ_proxies(url).get(urlparse(url).scheme, "")
            response = _make_pool(proxy).request(
                "POST",
                url,
                body=body,
                headers=headers,
                timeout=self._timeout,
                retries=False,
                redirect=False,
            )
        except urllib3.exceptions.ReadTimeoutError:
            raise EndpointUnreachable(
                f"{self.target}: no answer within {self._read_timeout_s:g} s"
            ) from None
        except urllib3.exceptions.HTTPError as error:
            raise EndpointUnreachable(f"{self.target}: {_reason(error)}") from None
        if not 200 <= response.status < 300:
            raise OperationFailed(f"{self.target} answered HTTP {response.status}")

    def _resolved(self) -> str:
        with self._lock:
            if not self._url:
                url = self._url_source()
                webhook_host(url)
                self._url = url
            return self._url

"""The response object and the network errors a replayed request gets."""

from __future__ import annotations

import json
from typing import Any

import requests
from curl_cffi.requests import exceptions as curl_exceptions
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import ProtocolError

CURL_DOCS = "See https://curl.se/libcurl/c/libcurl-errors.html first for more details."


class FakeResponse:
    """What jobspy's parsers read from a requests or curl_cffi response."""

    def __init__(self, status: int, body: bytes, url: str, headers: dict[str, str],
                 flavor: str) -> None:
        self.status_code, self.content, self.url, self.flavor = status, body, url, flavor
        self.headers = CaseInsensitiveDict(headers)
        self.reason = "OK" if status < 400 else "Error"

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")

    @property
    def ok(self) -> bool:
        return self.status_code < 400

    def json(self, **kwargs: Any) -> Any:
        try:
            return json.loads(self.text, **kwargs)
        except json.JSONDecodeError as e:
            if self.flavor == "requests":  # requests re-raises as its own subclass
                raise requests.exceptions.JSONDecodeError(e.msg, e.doc, e.pos) from None
            raise

    def raise_for_status(self) -> None:
        if not self.ok:
            error = requests.HTTPError if self.flavor == "requests" else curl_exceptions.HTTPError
            raise error(f"{self.status_code} Error for url: {self.url}", response=self)


def network_error(kind: str, flavor: str, host: str, timeout: float) -> Exception:
    """The exception the real session raises, with its real message: ``flavor`` is
    "requests" (Indeed, LinkedIn, Google) or "curl" (ZipRecruiter, Glassdoor)."""
    if flavor == "requests":
        if kind == "connection_reset":
            return requests.exceptions.ConnectionError(ProtocolError(
                "Connection aborted.", ConnectionResetError(104, "Connection reset by peer")))
        return requests.exceptions.ReadTimeout(
            f"HTTPSConnectionPool(host='{host}', port=443): Read timed out. (read timeout={timeout})")
    if kind == "connection_reset":
        return curl_exceptions.ConnectionError(
            f"Failed to perform, curl: (56) Recv failure: Connection reset by peer. {CURL_DOCS}", 56)
    return curl_exceptions.Timeout(
        f"Failed to perform, curl: (28) Operation timed out after {int(timeout * 1000)} "
        f"milliseconds with 0 bytes received. {CURL_DOCS}", 28)

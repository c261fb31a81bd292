from __future__ import annotations

import json
import os
import socket
import time
import http.client
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Union  # noqa: F401

from .errors import AegisApiError, AegisConnectionError
from .models import *  # noqa: F401,F403

__all__ = ["AegisClient", "DEFAULT_BASE_URL"]

DEFAULT_BASE_URL = "http://127.0.0.1:9100"
_VERSION = "0.0.0"
_NO_BODY: Any = object()
_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def _path(value: Any) -> str:
    return urllib.parse.quote(str(value), safe="")


def _query_value(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _body(
    body: Optional[Mapping[str, Any]],
    fields: Mapping[str, Any],
    required: Sequence[str],
    method: str,
) -> Dict[str, Any]:
    payload: Dict[str, Any] = dict(body or {})
    for key, value in fields.items():
        if value is not None:
            payload[key] = value
    missing = [key for key in required if key not in payload]
    if missing:
        raise TypeError("%s() is missing required body field(s): %s" % (method, ", ".join(missing)))
    return payload


def _api_error(status: int, raw: bytes, headers: Any) -> AegisApiError:
    text = raw.decode("utf-8", "replace")
    request_id = headers.get("x-request-id") if headers is not None else None
    code = "HTTP_%d" % status
    message = text.strip() or http.client.responses.get(status, "HTTP error")
    details: Optional[Dict[str, Any]] = None
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
        err = parsed["error"]
        code = str(err.get("code", code))
        message = str(err.get("message", message))
        if isinstance(err.get("details"), dict):
            details = err["details"]
    return AegisApiError(status, code, message, details, request_id=request_id)


class AegisClient:
    """A client for the Aegis HTTP API: one method per operation of openapi.json.

    Errors answered by the server raise AegisApiError (status, code, message, details); a server
    that cannot be reached raises AegisConnectionError.
    """

    def __init__(
        self,
        base_url: Optional[str] = None,
        token: Optional[str] = None,
        timeout: float = 30,
        headers: Optional[Mapping[str, str]] = None,
        auth_token: Optional[str] = None,
    ) -> None:
        """base_url defaults to $AEGIS_BASE_URL, else DEFAULT_BASE_URL; token to $AEGIS_AUTH_TOKEN.

        auth_token= is another name for token= (the earlier Aegis documents use it).
        """
        if token is None:
            token = auth_token
        self.base_url = (base_url or os.environ.get("AEGIS_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.token = token if token is not None else (os.environ.get("AEGIS_AUTH_TOKEN") or None)
        self.timeout = timeout
        self.headers: Dict[str, str] = dict(headers or {})
        host = urllib.parse.urlsplit(self.base_url).hostname or ""
        # Loopback servers are never reached through an HTTP proxy from the environment.
        handlers: List[Any] = [urllib.request.ProxyHandler({})] if host in _LOOPBACK else []
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        return "AegisClient(base_url=%r)" % self.base_url

    def _url(self, path: str, query: Optional[Mapping[str, Any]]) -> str:
        pairs: List[Any] = []
        for key, value in (query or {}).items():
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                pairs.extend((key, _query_value(v)) for v in value)
            else:
                pairs.append((key, _query_value(value)))
        url = self.base_url + path
        return url + ("?" + urllib.parse.urlencode(pairs) if pairs else "")

    def _headers(self, extra: Optional[Mapping[str, Any]], accept: str) -> Dict[str, str]:
        out = {"Accept": accept, "User-Agent": "aegis-client-python/" + _VERSION}
        out.update(self.headers)
        if self.token:
            out["Authorization"] = "Bearer " + self.token
        for key, value in (extra or {}).items():
            if value is not None:
                out[key] = str(value)
        return out

    def _request(
        self,
        method: str,
        path: str,
        query: Optional[Mapping[str, Any]] = None,
        body: Any = _NO_BODY,
        headers: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Sends one request and returns the decoded JSON answer (or text, or None when empty)."""
        hdrs = self._headers(headers, "application/json")
        data = None
        if body is not _NO_BODY:
            data = json.dumps(body).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        req = urllib.request.Request(self._url(path, query), data=data, method=method, headers=hdrs)
        try:
            with self._opener.open(req, timeout=self.timeout if timeout is None else timeout) as resp:
                raw = resp.read()
                ctype = resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as err:
            try:
                raw_err = err.read()
            finally:
                err.close()
            raise _api_error(err.code, raw_err, err.headers) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
            reason = getattr(err, "reason", err)
            raise AegisConnectionError("%s %s: %s" % (method, self.base_url + path, reason)) from err
        if not raw:
            return None
        if "json" in ctype:
            return json.loads(raw.decode("utf-8"))
        return raw.decode("utf-8", "replace")

    def _stream(
        self,
        method: str,
        path: str,
        query: Optional[Mapping[str, Any]],
        headers: Optional[Mapping[str, Any]],
        *,
        last_event_id: Optional[str] = None,
        reconnect: bool = True,
        retry_delay: float = 0.25,
        max_retry_delay: float = 5.0,
        read_timeout: Optional[float] = 60.0,
    ) -> Iterator[Any]:
        """Yields the JSON data of each server-sent event, in order.

        After a dropped connection (or no bytes for read_timeout seconds; the server sends a ping
        comment periodically) it reconnects with Last-Event-ID set to the last frame id received,
        so no event is lost or repeated. Errors answered by the server raise AegisApiError.
        """
        last_id = last_event_id
        delay = retry_delay
        while True:
            hdrs = self._headers(headers, "text/event-stream")
            hdrs["Cache-Control"] = "no-cache"
            if last_id is not None:
                hdrs["Last-Event-ID"] = str(last_id)
            req = urllib.request.Request(self._url(path, query), method=method, headers=hdrs)
            try:
                resp = self._opener.open(req, timeout=read_timeout)
            except urllib.error.HTTPError as err:
                try:
                    raw_err = err.read()
                finally:
                    err.close()
                error = _api_error(err.code, raw_err, err.headers)
                if not reconnect or err.code < 500 and err.code != 429:
                    raise error from None
                time.sleep(delay)
                delay = min(delay * 2, max_retry_delay)
                continue
            except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
                if not reconnect:
                    raise AegisConnectionError("%s %s: %s" % (method, self.base_url + path, err)) from err
                time.sleep(delay)
                delay = min(delay * 2, max_retry_delay)
                continue
            try:
                event_type = "message"
                data: List[str] = []
                frame_id: Optional[str] = None
                while True:
                    try:
                        line_bytes = resp.readline()
                    except (OSError, socket.timeout, http.client.HTTPException, ValueError):
                        break
                    if not line_bytes:
                        break
                    line = line_bytes.decode("utf-8", "replace").rstrip("\r\n")
                    if line == "":
                        if frame_id is not None:
                            last_id = frame_id
                        if data:
                            delay = retry_delay
                            text = "\n".join(data)
                            try:
                                yield json.loads(text)
                            except ValueError:
                                yield {"type": event_type, "data": text, "id": frame_id}
                        event_type, data, frame_id = "message", [], None
                        continue
                    if line.startswith(":"):
                        continue
                    field, _, value = line.partition(":")
                    if value.startswith(" "):
                        value = value[1:]
                    if field == "id":
                        frame_id = value
                    elif field == "event":
                        event_type = value
                    elif field == "data":
                        data.append(value)
            finally:
                resp.close()
            if not reconnect:
                return
            time.sleep(delay)
            delay = min(delay * 2, max_retry_delay)

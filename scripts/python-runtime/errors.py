"""Exceptions raised by AegisClient."""

from typing import Any, Dict, Optional

__all__ = ["AegisError", "AegisApiError", "AegisConnectionError"]


class AegisError(Exception):
    """Base class of every error raised by the client."""


class AegisConnectionError(AegisError):
    """The server could not be reached, or the connection failed before an answer."""


class AegisApiError(AegisError):
    """The server answered with an error envelope: {"error": {"code", "message", "details"?}}."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Optional[Dict[str, Any]] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__("%s %s: %s" % (status, code, message))
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.request_id = request_id

    def __repr__(self) -> str:
        return "AegisApiError(status=%r, code=%r, message=%r, details=%r)" % (
            self.status,
            self.code,
            self.message,
            self.details,
        )

"""Jira's error bodies and the messages the sandbox answers with, in Jira's words where known.

Platform API (`/rest/api/...`): `{"errorMessages": [...], "errors": {field: message}}`.
JSM (`/rest/servicedeskapi/...`, `/rest/servicedesk/1/...`): `{"errorMessage", "i18nErrorMessage"}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Messages Jira Cloud and Data Center are known to send for these cases.
GDPR_USERNAME_PARAM = "The query parameter 'username' is not supported in GDPR strict mode."
GDPR_ACCOUNT_ID_ONLY = (
    "'accountId' must be the only user identifying query parameter in GDPR strict mode."
)
CLOUD_USER_NOT_FOUND = "Specified user does not exist or you do not have required permissions"
GROUP_EXISTS = "A group with this name already exists."
NOT_AUTHENTICATED_CLOUD = "Client must be authenticated to access this resource."
NOT_AUTHENTICATED_DC = (
    "You are not authenticated. Authentication required to perform this operation."
)
NO_PROJECT_ADMIN = "You cannot edit the configuration of this project."
NO_GROUP_ADMIN = "You do not have permission to manage groups: only Jira administrators can."
NO_JSM_ADMIN = "You do not have permission to administer this service desk."


class ApiError(Exception):
    """An HTTP error answer in the body format of the API family that was called."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        *,
        errors: Mapping[str, str] | None = None,
        i18n_key: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message or ", ".join(f"{k}: {v}" for k, v in (errors or {}).items()))
        self.status = status
        self.message = message
        self.errors = dict(errors or {})
        self.i18n_key = i18n_key
        self.headers = dict(headers or {})

    def platform_body(self) -> dict[str, Any]:
        return {"errorMessages": [self.message] if self.message else [], "errors": self.errors}

    def jsm_body(self) -> dict[str, Any]:
        message = self.message or "; ".join(self.errors.values())
        return {
            "errorMessage": message,
            "i18nErrorMessage": {"i18nKey": self.i18n_key or "sd.error", "parameters": []},
        }


def bad_request(message: str | None = None, **errors: str) -> ApiError:
    return ApiError(400, message, errors=errors)


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


def forbidden(message: str) -> ApiError:
    return ApiError(403, message)

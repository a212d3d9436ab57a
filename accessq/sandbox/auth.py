"""Who is calling: basic auth (login or, as on Cloud, email + token), or a Data Center PAT.

A personal access token works only as `Authorization: Bearer`, and a password only in basic
auth, as on Data Center; Cloud has no bearer tokens for API users.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from accessq.sandbox.context import DC
from accessq.sandbox.rows import Account
from accessq.sandbox.store import Store


@dataclass(frozen=True)
class Credentials:
    account: Account | None  # None: anonymous (no header) or refused
    refused: (
        bool  # credentials were sent and are wrong (always a 401, even where anonymous is fine)
    )


ANONYMOUS = Credentials(None, refused=False)
REFUSED = Credentials(None, refused=True)


def authenticate(header: str | None, store: Store, flavor: str) -> Credentials:
    if not header:
        return ANONYMOUS
    scheme, _, value = header.strip().partition(" ")
    scheme = scheme.lower()
    if scheme == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return REFUSED
        login, sep, token = decoded.partition(":")
        account = store.account_by_login(login, token) if sep else None
        return Credentials(account, refused=account is None)
    if scheme == "bearer" and flavor == DC:  # personal access tokens exist on Data Center only
        account = store.account_by_pat(value.strip())
        return Credentials(account, refused=account is None)
    return REFUSED

"""What the live site grants: the snapshot `accessq doctor` checks, as plain immutable data.

`accessq.jira.site_access` fills it with read-only calls; `accessq.doctor` judges it without any
I/O. A part that could not be read is None, with the one-line reason beside it: the doctor then
says "not checked", never "fine".
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from accessq.model.observed import Account


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Holder(_Frozen):
    """Who a permission grant or a notification goes to (Jira's holder / recipient)."""

    type: str  # Jira's type: group, projectRole, groupCustomField, anyone, ... (any case)
    parameter: str | None = None  # group name, role id, field id, ...
    name: str | None = None  # the group's, role's or field's name when Jira gave it


class Grant(_Frozen):
    permission: str  # BROWSE_PROJECTS, ...
    holder: Holder


class Notice(_Frozen):
    event_id: int  # 1 Issue Created, 6 Issue Commented, ...
    event: str
    recipient: Holder


class RoleGroups(_Frozen):
    """A project role of the project and the groups among its actors."""

    id: str
    name: str
    groups: tuple[str, ...] = ()


class SiteAccess(_Frozen):
    runner: Account
    # The runner's permissions in the project (mypermissions): key -> held.
    runner_permissions: dict[str, bool] = Field(default_factory=dict)
    grants: tuple[Grant, ...] | None = None
    grants_error: str | None = None
    notices: tuple[Notice, ...] | None = None
    notices_error: str | None = None
    roles: tuple[RoleGroups, ...] | None = None  # None: could not be read
    roles_error: str | None = None
    # Account key -> product access (application role keys) of each agent, when asked for.
    licences: dict[str, tuple[str, ...]] | None = None
    licences_error: str | None = None
    # Account key -> whether a new ticket may be assigned to it (user/assignable/search).
    assignable: dict[str, bool] = Field(default_factory=dict)
    assignable_error: str | None = None


# What the runner's permissions are read for: apply's writes, and the reads every run makes.
RUNNER_PERMISSIONS = (
    "BROWSE_PROJECTS",  # components, the apply lock's reads
    "USER_PICKER",  # Browse users and groups: group members, user search
    "ADMINISTER_PROJECTS",  # components and the apply lock's writes
    "ADMINISTER",  # Administer Jira: group writes (Cloud: with site administration)
    "SYSTEM_ADMIN",
)

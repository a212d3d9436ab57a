"""What each kind of change carries: one frozen model per action (`Change.payload`).

A plan file keeps a change's data as plain JSON in `before` / `after` (docs/plan-format.md); these
models are the same data typed per action, read once when the `Change` is made or loaded. Code
that acts on a change dispatches with `match change.payload:` and ends with
`typing.assert_never`, so mypy checks that every action is handled and every field exists.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Self, assert_never

from pydantic import BaseModel, ConfigDict

Action = Literal[
    "create_component",
    "update_component",
    "delete_component",
    "create_group",
    "delete_group",
    "add_member",
    "remove_member",
    "create_jsm_queue",
    "update_jsm_queue",
    "delete_jsm_queue",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lead(_Model):
    """A component lead as a plan shows it: the account key, a name and the email, if any."""

    key: str
    name: str
    email: str | None


class ComponentFields(_Model):
    """Component fields an `update_component` changes; a field not set is left as it is.

    Declared in the order the plan file lists them. `lead` may be set to None (no lead), so
    whether it is set is `sets_lead`, not `lead is None`.
    """

    name: str | None = None
    description: str | None = None
    keywords: list[str] | None = None
    aliases: list[str] | None = None  # set (with description) only when either side has some
    managed: bool | None = None  # for reviewers: adopting an unmanaged component
    lead: Lead | None = None
    assignee_type: str | None = None

    @property
    def sets_lead(self) -> bool:
        return "lead" in self.model_fields_set

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_unset=True)


class _OneSide(_Model):
    """A payload that is the whole of `after` (something made) or of `before` (something gone)."""

    action: ClassVar[Action]
    side: ClassVar[Literal["before", "after"]]
    # Fields left out of the plan file when empty (they read back as empty): a queue without
    # aliases gives the plan file it gave before aliases were stored.
    omit_empty: ClassVar[tuple[str, ...]] = ()

    def to_json(self) -> tuple[Any, Any]:
        value = self.model_dump(mode="json")
        for key in self.omit_empty:
            if not value[key]:
                del value[key]
        return (value, None) if self.side == "before" else (None, value)

    @classmethod
    def from_json(cls, before: Any, after: Any) -> Self:
        value, other = (before, after) if cls.side == "before" else (after, before)
        _nothing(other, "after" if cls.side == "before" else "before")
        return cls.model_validate(value)


class _Key(_Model):
    """A membership change: the account key itself is the JSON value."""

    action: ClassVar[Action]
    side: ClassVar[Literal["before", "after"]]
    key: str

    def to_json(self) -> tuple[Any, Any]:
        return (self.key, None) if self.side == "before" else (None, self.key)

    @classmethod
    def from_json(cls, before: Any, after: Any) -> Self:
        value, other = (before, after) if cls.side == "before" else (after, before)
        _nothing(other, "after" if cls.side == "before" else "before")
        if not isinstance(value, str):
            raise ValueError(f"{cls.side} must be an account key (a string)")
        return cls(key=value)


def _nothing(value: Any, side: str) -> None:
    if value is not None:
        raise ValueError(f"{side} must be null for this action")


class CreateComponent(_OneSide):
    action: ClassVar[Action] = "create_component"
    side: ClassVar[Literal["before", "after"]] = "after"
    name: str
    description: str
    keywords: list[str]
    aliases: list[str] = []
    assignee_type: str
    omit_empty: ClassVar[tuple[str, ...]] = ("aliases",)


class UpdateComponent(_Model):
    action: ClassVar[Action] = "update_component"
    before: ComponentFields
    after: ComponentFields

    def to_json(self) -> tuple[Any, Any]:
        return self.before.as_json(), self.after.as_json()

    @classmethod
    def from_json(cls, before: Any, after: Any) -> Self:
        return cls.model_validate({"before": before, "after": after})


class DeleteComponent(_OneSide):
    action: ClassVar[Action] = "delete_component"
    side: ClassVar[Literal["before", "after"]] = "before"
    name: str
    description: str
    keywords: list[str]
    aliases: list[str] = []
    lead: Lead | None
    assignee_type: str
    omit_empty: ClassVar[tuple[str, ...]] = ("aliases",)


class CreateGroup(_OneSide):
    action: ClassVar[Action] = "create_group"
    side: ClassVar[Literal["before", "after"]] = "after"
    name: str


class DeleteGroup(_OneSide):
    action: ClassVar[Action] = "delete_group"
    side: ClassVar[Literal["before", "after"]] = "before"
    name: str
    members: list[str]  # account keys, held when planned


class AddMember(_Key):
    action: ClassVar[Action] = "add_member"
    side: ClassVar[Literal["before", "after"]] = "after"


class RemoveMember(_Key):
    action: ClassVar[Action] = "remove_member"
    side: ClassVar[Literal["before", "after"]] = "before"


class JsmView(_Model):
    name: str
    jql: str


class CreateJsmQueue(_OneSide):
    action: ClassVar[Action] = "create_jsm_queue"
    side: ClassVar[Literal["before", "after"]] = "after"
    name: str
    jql: str


class UpdateJsmQueue(_Model):
    action: ClassVar[Action] = "update_jsm_queue"
    before: JsmView
    after: JsmView

    def to_json(self) -> tuple[Any, Any]:
        return self.before.model_dump(mode="json"), self.after.model_dump(mode="json")

    @classmethod
    def from_json(cls, before: Any, after: Any) -> Self:
        return cls.model_validate({"before": before, "after": after})


class DeleteJsmQueue(_OneSide):
    action: ClassVar[Action] = "delete_jsm_queue"
    side: ClassVar[Literal["before", "after"]] = "before"
    name: str
    jql: str


Payload = (
    CreateComponent
    | UpdateComponent
    | DeleteComponent
    | CreateGroup
    | DeleteGroup
    | AddMember
    | RemoveMember
    | CreateJsmQueue
    | UpdateJsmQueue
    | DeleteJsmQueue
)


def payload_type(action: Action) -> type[Payload]:
    """The payload model of an action; mypy checks the match covers every action."""
    match action:
        case "create_component":
            return CreateComponent
        case "update_component":
            return UpdateComponent
        case "delete_component":
            return DeleteComponent
        case "create_group":
            return CreateGroup
        case "delete_group":
            return DeleteGroup
        case "add_member":
            return AddMember
        case "remove_member":
            return RemoveMember
        case "create_jsm_queue":
            return CreateJsmQueue
        case "update_jsm_queue":
            return UpdateJsmQueue
        case "delete_jsm_queue":
            return DeleteJsmQueue
    assert_never(action)

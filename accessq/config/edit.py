"""Edit queue files in place: take one person out of every queue (`accessq offboard`).

ruamel.yaml parses each file with the position of every node; the edit itself is done on the
text, line by line, so every byte outside the removed entries (comments, order, quoting, blank
lines, line endings) stays as it was. The edited files must load as a valid configuration
(`validate`) before anything is written, and are written all at once (`write_all`).

Pure: no Jira. A person is matched as the configuration names them (see `matches`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from accessq.config import text
from accessq.config.models import AwardeeQueue, Config, Queue, Role, Updater
from accessq.config.people import Person, lookup_key


class EditError(Exception):
    """The edit cannot be made; one printable line, nothing written."""


@dataclass(frozen=True)
class Removed:
    queue: str
    role: Role
    where: str  # file:line of the entry removed


@dataclass
class Offboarding:
    """What `offboard` does: new texts of the files it changes, and what it did or refused."""

    texts: dict[str, str] = field(default_factory=dict)  # shown path -> new text
    removed: list[Removed] = field(default_factory=list)
    reassigned: list[tuple[str, str, str]] = field(default_factory=list)  # queue, old, new
    refused: list[str] = field(default_factory=list)  # one line per queue left as it is


def matches(person: Person, query: str, config: Config) -> str | None:
    """How `query` names `person` ("account_id", "email", "username", "name") or None.

    An email matches a contact's email or the email an updater's username maps to; a username
    matches an updater's, or a contact whose email is the one the username maps to.
    """
    given = text.normal(query)
    folded = given.casefold()
    if person.account_id and person.account_id == query.strip():
        return "account_id"
    if lookup_key(person, config.jira) == "email:" + folded or (
        not isinstance(person, Updater) and (person.email or "").casefold() == folded
    ):
        return "email"
    if isinstance(person, Updater) and (person.username or "").casefold() == folded:
        return "username"
    mapped = config.jira.email_of(given).casefold()
    if "@" not in given and not isinstance(person, Updater) and person.email:
        return "username" if person.email.casefold() == mapped else _by_name(person, folded)
    return _by_name(person, folded)


def _by_name(person: Person, folded: str) -> str | None:
    if person.name.casefold() == folded:
        return "name"
    return None


def check_one_person(config: Config, query: str) -> None:
    """Refuse a name shared by people the configuration tells apart (different accounts)."""
    from accessq.config.people import people

    keys = {
        lookup_key(p, config.jira)
        for _, _, p in people(config.queues)
        if matches(p, query, config) == "name"
    }
    if len(keys) > 1:
        shown = ", ".join(sorted(k.split(":", 1)[1] for k in keys))
        raise EditError(
            f"{query!r} is the name of {len(keys)} different people ({shown}); "
            "give their email, ACCESS username or account id"
        )


def _min_agents(queue: Queue, config: Config) -> int:
    if queue.safety is not None and queue.safety.min_agents is not None:
        return queue.safety.min_agents
    return config.safety.min_agents


def _is_assignee(queue: AwardeeQueue, person: Updater) -> bool:
    wanted = queue.default_assignee or ""
    if person.username:
        return person.username.casefold() == wanted.casefold()
    return person.account_id == wanted


@dataclass
class _FileEdit:
    lines: list[str]
    drop: set[int] = field(default_factory=set)  # 0-based line numbers to delete
    replace: dict[int, str] = field(default_factory=dict)  # 0-based line -> new line

    def result(self) -> str:
        return "".join(
            self.replace.get(i, line) for i, line in enumerate(self.lines) if i not in self.drop
        )


def _lines(source: str) -> list[str]:
    """The text's lines, each with its own line end (so CRLF files stay CRLF)."""
    parts = source.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    return lines + ([parts[-1]] if parts[-1] else [])


def _item_lines(lines: list[str], start: int) -> range:
    """The lines of the block-sequence item whose node starts on line `start`."""
    if not lines[start].lstrip().startswith("-") and start > 0:
        start -= 1  # the dash alone on the line before its mapping
    dash = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if not line.strip() or len(line) - len(line.lstrip()) <= dash:
            break
        end += 1
    return range(start, end)


def _scalar(old: str, new: str) -> str:
    """`new` written as a YAML string in the style of the `old` token where that is safe."""
    if old[:1] in "'\"" and old[0] not in new and "\\" not in new:
        return f"{old[0]}{new}{old[0]}"
    if yaml.safe_load(new) == new and new.strip() == new:
        return new
    return yaml.safe_dump(new, default_style='"').strip().removesuffix("...").strip()


def _replace_value(line: str, column: int, new: str) -> str:
    """`line` with the scalar token starting at `column` replaced by `new`."""
    rest = line[column:]
    if rest[:1] in "'\"":
        close = rest.find(rest[0], 1)
        token = rest[: close + 1]
    else:
        cut = rest.find(" #")
        token = (rest if cut < 0 else rest[:cut]).rstrip("\r\n").rstrip()
    return line[:column] + _scalar(token, new) + rest[len(token) :]


def _empty_list(line: str, column: int, key: str) -> str:
    """The `key:` line of a list emptied by the edit, as `key: []`."""
    colon = line.index(":", column + len(key))
    return line[: colon + 1] + " []" + line[colon + 1 :]


class _Offboarder:
    def __init__(self, config: Config, query: str, successor: str | None) -> None:
        self.config = config
        self.query = query
        self.successor = successor
        self.out = Offboarding()
        self.by_name = {q.name.casefold(): q for q in config.queues}

    def file(self, shown: str, source: str) -> None:
        try:
            data = YAML(typ="rt").load(source)
        except YAMLError as exc:  # the loader read it: only a parser difference gets here
            raise EditError(f"{shown}: cannot edit: {str(exc).splitlines()[0]}") from None
        if not isinstance(data, CommentedMap):
            return
        edit = _FileEdit(_lines(source))
        for key in ("rp_queues", "awardee_queues"):
            items = data.get(key)
            if isinstance(items, CommentedSeq):
                for item in items:
                    if isinstance(item, CommentedMap):
                        self.queue(shown, item, edit)
        new = edit.result()
        if new != source:
            self.out.texts[shown] = new

    def queue(self, shown: str, item: CommentedMap, edit: _FileEdit) -> None:
        queue = self.by_name.get(text.normal(str(item.get("name", ""))).casefold())
        if queue is None:
            return
        drops: dict[Role, list[int]] = {}
        for role in queue.ROLES:
            listed: list[Person] = list(queue.listed(role))
            found = [i for i, p in enumerate(listed) if self.matches(p)]
            if found:
                drops[role] = found
        if not drops:
            return
        where = f"{shown}:{item.lc.line + 1}"
        refusal = self.refusal(queue, drops, where)
        if refusal is not None:
            self.out.refused.append(refusal)
            return
        for role in drops:
            if item[role].fa.flow_style():
                self.out.refused.append(
                    f"{where}: error: {queue.name}: its {role} are written as a [...] list; "
                    "offboard "
                    "edits block lists only: remove the person by hand"
                )
                return
        for role, indices in drops.items():
            seq = item[role]
            for index in indices:
                start = seq.lc.item(index)[0]
                edit.drop.update(_item_lines(edit.lines, start))
                self.out.removed.append(Removed(queue.name, role, f"{shown}:{start + 1}"))
            if len(indices) == len(seq):
                line, column = item.lc.key(role)
                edit.replace[line] = _empty_list(edit.lines[line], column, role)
        if isinstance(queue, AwardeeQueue) and self.new_assignee(queue, drops):
            line, column = item.lc.value("default_assignee")
            new = self.new_assignee(queue, drops) or ""
            edit.replace[line] = _replace_value(edit.lines[line], column, new)
            self.out.reassigned.append((queue.name, queue.default_assignee or "", new))

    def matches(self, person: Person) -> bool:
        return matches(person, self.query, self.config) is not None

    def refusal(self, queue: Queue, drops: dict[Role, list[int]], where: str) -> str | None:
        counted = queue.ROLES[0]
        left = len(queue.listed(counted)) - len(drops.get(counted, []))
        least = _min_agents(queue, self.config)
        if counted in drops and left < least:
            return (
                f"{where}: error: {queue.name}: removing them would leave {left} {counted}, below "
                f"min_agents {least}; add someone else first"
            )
        if not isinstance(queue, AwardeeQueue) or not self.leaves_assignee(queue, drops):
            return None
        staying = [u.handle for i, u in enumerate(queue.updaters) if i not in drops["updaters"]]
        candidates = ", ".join(staying) or "none"
        if self.successor is None:
            return (
                f"{where}: error: {queue.name}: they are its default assignee; name the "
                f"successor with --assignee USERNAME (candidates: {candidates})"
            )
        if self.new_assignee(queue, drops) is None:
            return (
                f"{where}: error: {queue.name}: --assignee {self.successor} is not one of its "
                f"other updaters (candidates: {candidates})"
            )
        return None

    def leaves_assignee(self, queue: AwardeeQueue, drops: dict[Role, list[int]]) -> bool:
        return bool(queue.default_assignee) and any(
            _is_assignee(queue, queue.updaters[i]) for i in drops.get("updaters", [])
        )

    def new_assignee(self, queue: AwardeeQueue, drops: dict[Role, list[int]]) -> str | None:
        """The successor's handle as the file writes it, when they are removing the assignee."""
        if self.successor is None or not self.leaves_assignee(queue, drops):
            return None
        wanted = self.successor.strip()
        for i, updater in enumerate(queue.updaters):
            if i in drops["updaters"]:
                continue
            if (updater.username or "").casefold() == wanted.casefold() or (
                updater.account_id == wanted
            ):
                return updater.handle
        return None


def offboard(
    config: Config, sources: Sequence[tuple[str, str]], query: str, successor: str | None = None
) -> Offboarding:
    """Take the person `query` names out of every queue of `sources` ((shown path, text))."""
    check_one_person(config, query)
    worker = _Offboarder(config, query, successor)
    for shown, source in sources:
        worker.file(shown, source)
    return worker.out


def read_sources(files: Sequence[Path]) -> list[tuple[str, str]]:
    """(shown path, text) of each file, line ends as they are."""
    try:
        return [(os.fspath(f), f.read_bytes().decode("utf-8")) for f in files]
    except (OSError, UnicodeDecodeError) as exc:
        raise EditError(f"cannot read {getattr(exc, 'filename', '') or exc}") from None


def validate(sources: Sequence[tuple[str, str]], texts: dict[str, str]) -> Config:
    """Load the edited configuration (from a scratch folder); EditError with the first problem."""
    from accessq.config.loader import load_config

    with tempfile.TemporaryDirectory(prefix="accessq-offboard-") as scratch:
        paths: list[Path] = []
        for index, (shown, source) in enumerate(sources):
            path = Path(scratch, str(index), Path(shown).name)
            path.parent.mkdir()
            path.write_bytes(texts.get(shown, source).encode("utf-8"))
            paths.append(path)
        result = load_config(paths)
    if result.config is None:
        first = str(result.errors[0]).replace(scratch + os.sep, "")
        raise EditError(f"the edited files would not be valid ({first}); nothing was written")
    return result.config


def write_all(texts: dict[str, str]) -> None:
    """Write every file or none: all new texts to temporary files first, then rename each."""
    written: list[tuple[Path, Path]] = []
    try:
        for shown, new in texts.items():
            target = Path(shown)
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            temp = Path(name)
            written.append((temp, target))
            with os.fdopen(handle, "wb") as out:
                out.write(new.encode("utf-8"))
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, target.stat().st_mode & 0o7777)
    except OSError as exc:
        for temp, _ in written:
            temp.unlink(missing_ok=True)
        raise EditError(
            f"cannot write {exc.filename or ''}: {exc.strerror}; nothing was written"
        ) from None
    for temp, target in written:
        os.replace(temp, target)


def diff_text(sources: Sequence[tuple[str, str]], texts: dict[str, Any]) -> str:
    """A unified diff of every changed file."""
    import difflib

    out: list[str] = []
    for shown, source in sources:
        if shown in texts:
            out += difflib.unified_diff(
                source.splitlines(keepends=True),
                texts[shown].splitlines(keepends=True),
                f"a/{shown}",
                f"b/{shown}",
            )
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)

"""Load a configuration: files and folders in, one `Config` (or every reason why not) out.

Never raises for bad input: a missing file, an unreadable one, bad YAML, a bad value or a rule
broken across queues all become `Diagnostic`s, every one of them, sorted by file and line.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from accessq.config.checks import check_config
from accessq.config.diagnostics import Diagnostic
from accessq.config.guidelines import guideline_warnings
from accessq.config.messages import diagnostics_for
from accessq.config.models import (
    AwardeeQueue,
    Config,
    Contact,
    JiraSettings,
    RetiredQueue,
    RPQueue,
    SafetySettings,
    Updater,
)
from accessq.config.origins import Origins
from accessq.config.queue_files import folder_siblings, queue_files_in
from accessq.config.salvage import Kept, validate_or_salvage
from accessq.config.selection import FileScope, file_scope
from accessq.config.yaml_source import KeyPath, SourceError, YamlDocument, read_document

_M = TypeVar("_M", bound=BaseModel)
_Q = TypeVar("_Q", RPQueue, AwardeeQueue, RetiredQueue)


@dataclass
class LoadResult:
    config: Config | None  # None when there are errors
    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # every file read, as the user named it
    sources: list[str] = field(default_factory=list)  # the paths as given (files or folders)
    origins: Origins | None = None  # where each queue and person came from (keys' positions)
    # With `complete_folders`: the files given when they are only part of a folder configuration
    # (whose other files were read too); None when the paths are the whole configuration.
    partial: list[str] | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


class ConfigError(Exception):
    """The configuration has errors; `result` holds all of them."""

    def __init__(self, result: LoadResult) -> None:
        self.result = result
        count = len(result.errors)
        first = result.errors[0] if result.errors else "unknown error"
        more = f" (and {count - 1} more)" if count > 1 else ""
        super().__init__(f"{first}{more}")


def load_config_or_raise(paths: Sequence[str | os.PathLike[str]]) -> Config:
    result = load_config(paths)
    if result.config is None:
        raise ConfigError(result)
    return result.config


def load_scoped_or_raise(
    paths: Sequence[str | os.PathLike[str]],
) -> tuple[Config, FileScope | None]:
    """The configuration, completed from the folders of files given alone (see `FileScope`)."""
    result = load_config(paths, complete_folders=True)
    if result.partial is not None and result.config is None:
        # Files that do not make one configuration with their siblings (variants of one file,
        # a folder of unrelated examples) are each their own configuration, as before.
        result = load_config(paths)
    if result.config is None:
        raise ConfigError(result)
    return result.config, file_scope(result.config, result.partial)


@dataclass
class _FileConfig:
    """What one file contributes; queues keep their index in that file for positions."""

    doc: YamlDocument
    sets_jira: bool = False
    sets_safety: bool = False
    jira: JiraSettings | None = None
    safety: SafetySettings | None = None
    rp: list[tuple[int, RPQueue, Kept]] = field(default_factory=list)
    awardee: list[tuple[int, AwardeeQueue, Kept]] = field(default_factory=list)
    retired: list[tuple[int, RetiredQueue]] = field(default_factory=list)


def load_config(
    paths: Sequence[str | os.PathLike[str]], *, complete_folders: bool = False
) -> LoadResult:
    """`complete_folders`: a file given alone whose folder holds more queue files is read with
    them (its `jira:`, its other queues, its retired queues) and recorded in `partial`."""
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    files = _expand(paths, errors, warnings)
    partial: list[str] | None = None
    if complete_folders and not errors:
        files, partial = _complete(files)
    parsed: list[_FileConfig] = []
    for path, shown in files:
        try:
            doc = read_document(path, shown)
        except SourceError as exc:
            errors.append(exc.diagnostic)
            continue
        parsed.append(_validate_file(doc, errors))
    origins = Origins()
    merged = _merge(parsed, origins, errors)
    errors.extend(check_config(merged, origins))
    warnings.extend(guideline_warnings(merged, origins))
    errors.sort(key=Diagnostic.sort_key)
    warnings.sort(key=Diagnostic.sort_key)
    return LoadResult(
        config=None if errors else merged,
        errors=errors,
        warnings=warnings,
        files=[Path(shown) for _, shown in files],
        sources=[os.fspath(p) for p in paths],
        origins=origins,
        partial=partial,
    )


def _complete(files: list[tuple[Path, str]]) -> tuple[list[tuple[Path, str]], list[str] | None]:
    """The files plus the missing siblings of each folder a given file belongs to."""
    seen = {path.resolve() for path, _ in files}
    added: list[tuple[Path, str]] = []
    for path, shown in files:
        for sibling in folder_siblings(path):
            if sibling.resolve() not in seen:
                seen.add(sibling.resolve())
                added.append((sibling, os.path.join(os.path.dirname(shown), sibling.name)))
    if not added:
        return files, None
    return files + added, [shown for _, shown in files]


def _expand(
    paths: Sequence[str | os.PathLike[str]], errors: list[Diagnostic], warnings: list[Diagnostic]
) -> list[tuple[Path, str]]:
    """Each path as (file, name to show); a folder gives its *.yaml/*.yml files, not subfolders."""
    if not paths:
        errors.append(Diagnostic("no queue files given"))
    found: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for given in paths:
        shown = os.fspath(given)
        try:
            for path, name in _files_of(Path(given), shown, errors):
                real = path.resolve()
                if real in seen:
                    warnings.append(
                        Diagnostic(f"{name}: given more than once; read once", severity="warning")
                    )
                    continue
                seen.add(real)
                found.append((path, name))
        except OSError as exc:
            reason = (exc.strerror or str(exc)).lower()
            errors.append(Diagnostic(f"{shown}: cannot read: {reason}"))
    return found


def _files_of(path: Path, shown: str, errors: list[Diagnostic]) -> list[tuple[Path, str]]:
    if path.is_dir():
        members = queue_files_in(path)
        if not members:
            errors.append(
                Diagnostic(
                    f"{shown}: no *.yaml or *.yml files in this folder (subfolders are not read)"
                )
            )
        return [(p, os.path.join(shown, p.name)) for p in members]
    if not path.exists():
        errors.append(Diagnostic(f"{shown}: no such file or folder"))
        return []
    if not path.is_file():
        errors.append(Diagnostic(f"{shown}: not a regular file"))
        return []
    return [(path, shown)]


def _validate_file(doc: YamlDocument, errors: list[Diagnostic]) -> _FileConfig:
    data = doc.data
    result = _FileConfig(doc)
    if not isinstance(data, dict):
        # Cut long values: a file that is not YAML at all (a .env, /etc/passwd) is one big
        # scalar, and echoing it whole would print whatever secrets it holds.
        shown = repr(data) if len(repr(data)) <= 40 else repr(data)[:37] + "..."
        kind = "a list" if isinstance(data, list) else f"the single value {shown}"
        errors.append(
            Diagnostic(
                f"the top level must be a mapping of keys (version, jira, safety, rp_queues, "
                f"awardee_queues, retired_queues), not {kind}",
                doc.value_at(()),
            )
        )
        return result
    result.sets_jira = "jira" in data
    result.sets_safety = "safety" in data
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        errors.extend(diagnostics_for(exc, Config, doc))
        # Keep what is sound, so the rules across queues still see every good queue.
        result.jira = _valid(JiraSettings, data.get("jira"))
        result.safety = _valid(SafetySettings, data.get("safety"))
        result.rp = _sound_items(RPQueue, data.get("rp_queues"))
        result.awardee = _sound_items(AwardeeQueue, data.get("awardee_queues"))
        retired = _sound_items(RetiredQueue, data.get("retired_queues"))
        result.retired = [(i, r) for i, r, _ in retired]
        return result
    result.jira = config.jira if result.sets_jira else None
    result.safety = config.safety if result.sets_safety else None
    result.rp = [(i, q, {}) for i, q in enumerate(config.rp_queues)]
    result.awardee = [(i, q, {}) for i, q in enumerate(config.awardee_queues)]
    result.retired = list(enumerate(config.retired_queues))
    return result


def _valid(model: type[_M], data: Any) -> _M | None:
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def _sound_items(model: type[_Q], data: Any) -> list[tuple[int, _Q, Kept]]:
    if not isinstance(data, list):
        return []
    found: list[tuple[int, _Q, Kept]] = []
    for i, item in enumerate(data):
        salvaged = validate_or_salvage(model, item)
        if salvaged is not None:
            found.append((i, salvaged[0], salvaged[1]))
    return found


def _merge(parsed: list[_FileConfig], origins: Origins, errors: list[Diagnostic]) -> Config:
    """One Config from every file; each queue and person located and recorded in `origins`."""
    _only_once(parsed, "jira", errors)
    _only_once(parsed, "safety", errors)
    rp_queues: list[RPQueue] = []
    awardee_queues: list[AwardeeQueue] = []
    retired_queues: list[RetiredQueue] = []
    for part in parsed:
        for i, rp, kept in part.rp:
            path = ("rp_queues", i)
            _place(rp, part.doc, path, origins, kept)
            _place_people(rp.agents, part.doc, (*path, "agents"), origins, kept)
            _place_people(rp.watchers or [], part.doc, (*path, "watchers"), origins, kept)
            rp_queues.append(rp)
        for i, aw, kept in part.awardee:
            path = ("awardee_queues", i)
            _place(aw, part.doc, path, origins, kept)
            _place_people(aw.updaters, part.doc, (*path, "updaters"), origins, kept)
            awardee_queues.append(aw)
        for i, retired in part.retired:
            _place(retired, part.doc, ("retired_queues", i), origins)
            retired_queues.append(retired)
    return Config(
        version=1,
        jira=_first(p.jira for p in parsed) or JiraSettings(),
        safety=_first(p.safety for p in parsed) or SafetySettings(),
        rp_queues=rp_queues,
        awardee_queues=awardee_queues,
        retired_queues=retired_queues,
    )


def _first(values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def _only_once(parsed: list[_FileConfig], key: str, errors: list[Diagnostic]) -> None:
    owners = [p for p in parsed if getattr(p, f"sets_{key}")]
    for extra in owners[1:]:
        first = owners[0].doc.key_at((key,))
        errors.append(
            Diagnostic(
                f"'{key}:' may appear in one file only; it is already set at {first.short}",
                extra.doc.key_at((key,)),
                key,
            )
        )


def _place(
    obj: RPQueue | AwardeeQueue | Contact | Updater | RetiredQueue,
    doc: YamlDocument,
    path: KeyPath,
    origins: Origins,
    kept: Kept | None = None,
) -> None:
    obj.at(doc.item_at(path))
    origins.add(obj, doc, path, kept)


def _place_people(
    people: Sequence[Contact | Updater],
    doc: YamlDocument,
    path: KeyPath,
    origins: Origins,
    kept: Kept,
) -> None:
    indices = kept.get(str(path[-1]), range(len(people)))
    for index, person in zip(indices, people, strict=True):
        _place(person, doc, (*path, index), origins)

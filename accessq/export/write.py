"""`accessq export`: the live queues as queue YAML, so that `plan` on the export shows no changes.

`export_files` returns file name -> text: one `queues.yaml`, or with `split` one file per queue
(named by its slug) plus `settings.yaml` when there is a `jira:` mapping or a site note to write.
The same Jira always exports the same bytes: everything is sorted, and the time of the export is
written only when the caller asks for it.
"""

from __future__ import annotations

from datetime import datetime

from accessq.config.models import JiraSettings
from accessq.export.collect import Export, ExportedQueue, collect
from accessq.export.yaml_text import comment, jira_lines, queues_section
from accessq.model.observed import Observed

SINGLE_FILE = "queues.yaml"
SETTINGS_FILE = "settings.yaml"


def export_files(
    observed: Observed,
    jira_settings: JiraSettings,
    *,
    adopt: bool,
    split: bool,
    exported_at: datetime | None = None,
) -> dict[str, str]:
    """The export as file name -> YAML text (see the module docstring)."""
    export = collect(observed, jira_settings, adopt=adopt)
    settings = jira_lines(export.jira)
    if not split:
        return {SINGLE_FILE: _document(export, exported_at, export.notes, settings, export.queues)}
    files: dict[str, str] = {}
    if settings or export.notes or not export.queues:
        # A folder needs one file at least, and `jira:` may stand in one file only.
        files[SETTINGS_FILE] = _document(export, exported_at, export.notes, settings, [])
    taken = {SETTINGS_FILE}
    for queue in export.queues:
        name = _file_name(queue, taken)
        taken.add(name)
        files[name] = _document(export, exported_at, [], [], [queue])
    return dict(sorted(files.items()))


def _header(
    export: Export, exported_at: datetime | None, queues: list[ExportedQueue], noted: bool
) -> list[str]:
    text = [f"Exported by `accessq export` from {export.target.describe()}."]
    if exported_at is not None:
        text.append(f"Exported at {exported_at.isoformat(timespec='seconds')}.")
    adopting = any(q.adopt for q in queues)
    text.append(
        "`accessq plan` on this export shows "
        + ("no changes but the adoptions" if adopting else "no changes")
        + " while Jira stays as it is"
        + (" (a note says so where a plan would still change something)." if noted else ".")
    )
    if adopting:
        text.append(
            "Queues with `adopt: true` are components accessq does not manage yet: a plan shows "
            "their adoption (the marker line added to the description), and apply performs it."
        )
    return [line for paragraph in text for line in comment(paragraph)]


def _document(
    export: Export,
    exported_at: datetime | None,
    notes: list[str],
    settings: list[str],
    queues: list[ExportedQueue],
) -> str:
    noted = bool(notes) or any(q.notes for q in queues)
    out = _header(export, exported_at, queues, noted)
    out += [line for note in notes for line in comment(f"note: {note}")]
    out += ["", "version: 1"]
    if settings:
        out += ["", *settings]
    out += queues_section(queues)
    return "\n".join(out) + "\n"


def _file_name(queue: ExportedQueue, taken: set[str]) -> str:
    """`<slug>.yaml`; a leading or trailing `-` dropped, and a number added on a clash."""
    stem = queue.slug.strip("-") or "queue"
    name, number = f"{stem}.yaml", 1
    while name in taken:
        number += 1
        name = f"{stem}-{number}.yaml"
    return name

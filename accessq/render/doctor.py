"""`accessq doctor`'s report as text (terminal, CI log), markdown (job summary) or JSON."""

from __future__ import annotations

import json
from typing import Literal

from accessq.doctor.findings import CHECKS, Finding, Report
from accessq.render.plan_markdown import md

DoctorFormat = Literal["text", "json", "markdown"]
ACCOUNT_ROW = "(accessq account)"
SETUP_FIELDS = "docs/site-setup.md#group-picker-fields-and-one-automation-rule"
TAGS = {"fail": "FAIL", "unchecked": "NOT CHECKED"}


def render_doctor(report: Report, fmt: DoctorFormat) -> str:
    if fmt == "json":
        return _json(report)
    if fmt == "markdown":
        return _markdown(report)
    if fmt == "text":
        return _text(report)
    raise ValueError(f"unknown format {fmt!r}: use text, json or markdown")


def _cell(findings: list[Finding]) -> str:
    if not findings:
        return "-"
    failed = sum(1 for f in findings if f.status == "fail")
    if failed:
        return f"FAIL {failed}"
    return "?" if any(f.status == "unchecked" for f in findings) else "ok"


def summary_rows(report: Report) -> list[list[str]]:
    """One row per queue (in order) and one for the account: a cell per kind of check."""
    names: list[str] = []
    for finding in report.findings:
        name = finding.queue or ACCOUNT_ROW
        if name not in names:
            names.append(name)
    return [
        [name]
        + [
            _cell([f for f in report.findings if (f.queue or ACCOUNT_ROW) == name and f.check == c])
            for c in CHECKS
        ]
        for name in names
    ]


def _heading(report: Report) -> str:
    kind = "read-only plan account" if report.read_only else "apply account"
    return f"accessq doctor: project {report.project}, signed in as {report.runner} ({kind})"


def _totals(report: Report) -> str:
    if not report.ok:
        verdict = "members cannot all do their job"
    elif report.count("unchecked"):
        verdict = "no check failed, but not everything could be checked"
    else:
        verdict = "every check passed"
    return (
        f"{report.count('fail')} failed, {report.count('unchecked')} not checked, "
        f"{report.count('pass')} passed: {verdict}."
    )


def _assumed(report: Report) -> bool:
    return any("assumed, not checked" in f.message for f in report.findings)


def _problem_lines(report: Report) -> list[tuple[str, str | None, str]]:
    """(tag, queue, text) per failure; each reason a check could not be made, once."""
    out: list[tuple[str, str | None, str]] = []
    unchecked: dict[str, int] = {}
    for finding in report.findings:
        if finding.status == "fail":
            out.append((TAGS["fail"], finding.queue, finding.message))
        elif finding.status == "unchecked":
            unchecked[finding.message] = unchecked.get(finding.message, 0) + 1
    for reason, n in unchecked.items():
        out.append((f"{TAGS['unchecked']} ({n} {'check' if n == 1 else 'checks'})", None, reason))
    return out


def _text(report: Report) -> str:
    lines = [_heading(report), ""]
    problems = _problem_lines(report)
    for tag, queue, text in problems:
        where = f"[{queue}] " if queue else ""
        lines.append(f"{tag}: {where}{text}")
    if problems:
        lines.append("")
    header = ["queue", *CHECKS]
    rows = [header, *summary_rows(report)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append("")
    if _assumed(report):
        lines.append(
            "note: group fields are granted; that the automation rule fills them is assumed "
            f"({SETUP_FIELDS})"
        )
    lines.append(_totals(report))
    return "\n".join(lines) + "\n"


def _markdown(report: Report) -> str:
    lines = [f"### {md(_heading(report))}", ""]
    header = ["queue", *CHECKS]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for row in summary_rows(report):
        lines.append("| " + " | ".join(md(c) for c in row) + " |")
    lines.append("")
    problems = _problem_lines(report)
    for tag, queue, text in problems:
        where = f"**{md(queue)}**: " if queue else ""
        lines.append(f"- {tag}: {where}{md(text)}")
    if problems:
        lines.append("")
    if _assumed(report):
        lines.append(
            "Group fields are granted; that the automation rule fills them is assumed "
            f"({SETUP_FIELDS}).\n"
        )
    lines.append(md(_totals(report)))
    return "\n".join(lines) + "\n"


def _json(report: Report) -> str:
    document = {
        "project": report.project,
        "runner": report.runner,
        "read_only": report.read_only,
        "ok": report.ok,
        "counts": {s: report.count(s) for s in ("fail", "unchecked", "pass")},
        "findings": [
            {
                "check": f.check,
                "queue": f.queue,
                "subject": f.subject,
                "status": f.status,
                "message": f.message,
            }
            for f in report.findings
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

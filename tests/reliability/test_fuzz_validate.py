"""Generated input for `accessq validate`: whatever the file holds, the answer is exit 0 or 1 with
readable lines, never a traceback.

Two generators: structured documents (random mappings, lists and scalars arranged around the
language's real keys, so they get past the YAML layer into the models and the rules across
queues) and raw text mutations of `examples/queues.yaml` (so they exercise the YAML layer and
its positions). Derandomized with a modest budget so CI is fast and repeatable; set
ACCESSQ_FUZZ_EXAMPLES=2000 for a longer, random hunt.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.helpers import EXAMPLE, assert_no_crash, output, run

_LONG_HUNT = "ACCESSQ_FUZZ_EXAMPLES" in os.environ
FUZZ = settings(
    max_examples=int(os.environ.get("ACCESSQ_FUZZ_EXAMPLES", "100")),
    deadline=None,
    derandomize=not _LONG_HUNT,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TOP_KEYS = ["version", "jira", "safety", "rp_queues", "awardee_queues"]
# Values that mean something to the language (or nearly do), mixed with random ones so that
# documents get past the type checks into the rules across queues and people.
NAMES = ["Delta", "DELTA", "delta", "Delta 2", "Delta-2", "---", "ACCESS-ACO-Support", "", " "]
EMAILS = ["jdoe@illinois.example.edu", "JDOE@illinois.example.edu", "not-an-email", "a@b"]
USERNAMES = ["alovelace", "aturing", "Alovelace", "ada lovelace", "-x"]
WORDS = [
    *NAMES,
    *EMAILS,
    *USERNAMES,
    "1",
    "ATS",
    "ats-",
    "{username}@access-ci.org",
    "{username}",
    "{0}",
    "{username.x}@a.org",
    "{username[0]}@a.org",
    "{username:>999999999}@a.org",
    "{",
    "https://access-ci.atlassian.net",
    "http://127.0.0.1:8080",
    "http://example.org",
    "a, b",
    "wiki",
    "Wiki",
    "~",
    "yes",
    "2024-01-01",
    "line\nbreak",
    "\u2028",
    "\x85",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(WORDS)
    | st.text(max_size=20)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(TOP_KEYS) | st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)


def either(likely: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a plausible value, sometimes anything at all."""
    return st.one_of(likely, likely, likely, values)


def mapping(
    fields: dict[str, st.SearchStrategy[Any]], required: tuple[str, ...] = ()
) -> st.SearchStrategy[dict[str, Any]]:
    """Some of the real keys with plausible values; now and then a key that does not exist."""
    known = st.fixed_dictionaries(
        {k: v for k, v in fields.items() if k in required},
        optional={k: v for k, v in fields.items() if k not in required},
    )
    stranger = st.dictionaries(st.text(max_size=8), scalars, max_size=1)
    one_in_ten = st.integers(0, 9).map(lambda n: n == 0)
    return st.builds(lambda a, b, add: {**a, **b} if add else a, known, stranger, one_in_ten)


person = mapping(
    {
        "name": either(st.sampled_from(["Jane Doe", "Ada", "", "x\ny"])),
        "email": either(st.sampled_from(EMAILS)),
        "username": either(st.sampled_from(USERNAMES)),
        "account_id": either(st.sampled_from(["712020:d3551473-22d8", "x y", ""])),
    }
)
people = either(st.lists(person, max_size=4))
safety = mapping(
    {
        "max_removal_fraction": either(st.sampled_from([0, 0.25, 1, 1.5, -1])),
        "min_agents": either(st.sampled_from([0, 1, 2, -1, 1.5])),
    }
)
common = {
    "name": either(st.sampled_from(NAMES)),
    "description": scalars,
    "previously": either(st.lists(st.sampled_from(NAMES), max_size=2)),
    "safety": either(safety),
}
rp_queue = mapping({**common, "agents": people, "watchers": people}, required=("name",))
awardee_queue = mapping(
    {
        **common,
        "updaters": people,
        "default_assignee": either(st.sampled_from(USERNAMES)),
        "keywords": either(st.lists(st.sampled_from(["wiki", "Wiki", "a, b", "", "ood"]))),
    },
    required=("name",),
)
jira = mapping(
    {
        "url": either(st.sampled_from([w for w in WORDS if "://" in w])),
        "project": either(st.sampled_from(["ATS", "ats", "A"])),
        "group_prefix": either(st.sampled_from(["ats-", "", "a b"])),
        "username_email": either(st.sampled_from(["{username}@access-ci.org", "{0}", "x@y.org"])),
        "jsm_queues": scalars,
    }
)
documents = st.one_of(
    mapping(
        {
            "version": either(st.just(1)),
            "jira": either(jira),
            "safety": either(safety),
            "rp_queues": either(st.lists(rp_queue, max_size=4)),
            "awardee_queues": either(st.lists(awardee_queue, max_size=4)),
        },
        required=("version",),
    ),
    values,
)


def check_validate(path: Path) -> None:
    result = run(["validate", str(path)])
    assert_no_crash(result, codes=(0, 1))
    text = output(result)
    assert text.endswith("\n")
    if result.exit_code == 1:
        assert " invalid — " in text.splitlines()[-1]


@FUZZ
@given(document=documents, as_json=st.booleans())
def test_structured_documents_never_crash_validate(
    document: Any, as_json: bool, tmp_path: Path
) -> None:
    path = tmp_path / "fuzz.yaml"
    if as_json:  # JSON is YAML too, and spells some values (NaN, long numbers) differently
        text = json.dumps(document, ensure_ascii=False)
    else:
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    check_validate(path)


EXAMPLE_LINES = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
NOISE = [*":-[]{}&*!|>#'\",?\t \n%@`", "\x00", "\x07", "\ufeff", "\u2028", "\xe9", "<<: "]
mutation = st.tuples(
    st.sampled_from(["drop", "repeat", "swap", "insert", "replace", "indent", "truncate"]),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(NOISE) | st.text(max_size=4),
)


def mutate(lines: list[str], op: str, a: int, b: int, noise: str) -> list[str]:
    """One edit of the kind a hurried human (or a bad merge) makes to a queue file."""
    if not lines:
        return [noise]
    i, j = a % len(lines), b % len(lines)
    out = list(lines)
    line = out[i]
    column = b % (len(line) + 1)
    if op == "drop":
        del out[i]
    elif op == "repeat":
        out.insert(j, line)
    elif op == "swap":
        out[i], out[j] = out[j], out[i]
    elif op == "insert":
        out[i] = line[:column] + noise + line[column:]
    elif op == "replace":
        out[i] = line[:column] + noise + line[column + 1 :]
    elif op == "indent":
        out[i] = " " * (b % 5) + line.lstrip(" ") if b % 2 else line[1:]
    elif op == "truncate":
        out = [*out[:i], line[:column]]
    return out


@FUZZ
@given(edits=st.lists(mutation, min_size=1, max_size=6), latin1=st.booleans())
def test_mutated_example_never_crashes_validate(
    edits: list[tuple[str, int, int, str]], latin1: bool, tmp_path: Path
) -> None:
    lines = EXAMPLE_LINES
    for edit in edits:
        lines = mutate(lines, *edit)
    text = "".join(lines)
    path = tmp_path / "queues.yaml"
    # Now and then the file is saved in the wrong encoding, as editors on some systems do.
    data = text.encode("latin-1", "replace") if latin1 else text.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    check_validate(path)

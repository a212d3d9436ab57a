"""Names beyond ASCII: letters of any script, one Unicode form, nothing hidden.

A queue file in a pull request is the input: two names that look the same must be one name, a
character nobody can see must not make a second queue (or a different Jira group), and every
name must give a Jira group name that is stable and readable.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accessq.config.models import ONE_LINE_PATTERN, Config
from accessq.config.naming import group_name, slug
from accessq.config.selection import is_selected
from accessq.config.text import problem
from tests.config.helpers import Load, lines, only_error

NFD_CAFE = "Cafe\u0301"  # e + COMBINING ACUTE ACCENT, as macOS file names and some editors write it
NFC_CAFE = "Caf\u00e9"


def rp(name: str, *extra: str) -> str:
    """An RP queue entry, `name` as a YAML double-quoted scalar (escapes allowed)."""
    body = "".join(f"    {line}\n" for line in extra)
    return f'  - name: "{name}"\n{body}    agents: [{{name: A, email: a@rp.example.edu}}]\n'


def rp_file(*queues: str) -> str:
    return "version: 1\nrp_queues:\n" + "".join(queues)


# -- letters of any script ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Δέλτα", "Ｄｅｌｔａ", "Дельта", "デルタ", "Δέλτα-2"])
def test_a_name_in_any_script_is_a_queue_name(load: Load, name: str) -> None:
    result = load(rp_file(rp(name)))
    assert result.ok, lines(result.errors)
    assert not any("naming guideline" in d.message for d in result.warnings)
    assert result.config is not None
    assert result.config.rp_queues[0].name == name


def test_a_name_still_needs_a_letter_or_digit(load: Load) -> None:
    result = load(rp_file(rp("—·—")))
    assert only_error(result) == (
        "q.yaml:3:11: error: queue name '—·—' has no letters or digits, so it gives no Jira "
        "group name (rp_queues[0].name)"
    )


def test_a_full_width_name_is_the_same_groups_as_its_ascii_twin(load: Load) -> None:
    result = load(rp_file(rp("Delta"), rp("Ｄｅｌｔａ")))
    assert only_error(result) == (
        "q.yaml:5:11: error: queue name 'Ｄｅｌｔａ' gives the same Jira groups (ats-delta-*) as "
        "'Delta' at q.yaml:3 (rp_queues[1].name)"
    )


# -- group slugs ----------------------------------------------------------------------------------


def _old_slug(name: str) -> str:
    """The slug rule every live group was named by; ASCII names must keep it exactly."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower())


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1))
def test_every_ascii_name_keeps_its_slug(name: str) -> None:
    assert slug(name) == _old_slug(name)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jetstream-2", "jetstream-2"),
        ("ACCESS-ACO-Support", "access-aco-support"),
        (NFC_CAFE, "cafe"),
        (NFD_CAFE, "cafe"),
        ("Ｄｅｌｔａ", "delta"),
        ("Straße", "strasse"),
        ("Ångström Lab", "angstrom-lab"),
        ("Ærø", "aero"),
    ],
)
def test_a_name_that_spells_in_ascii_gives_that_spelling(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_a_name_that_does_not_spell_in_ascii_gets_a_stable_hash() -> None:
    greek = slug("Δέλτα")
    # Pinned, as docs/language.md shows it: a new hash would rename every such queue's groups.
    assert greek == "c2bc128f"
    assert slug("Δέλτα-2") == "2-5636f126"
    # The same name, in any case and Unicode form, is the same groups.
    assert slug("ΔΈΛΤΑ") == greek
    assert slug(unicodedata.normalize("NFD", "Δέλτα")) == greek
    # What spells in ASCII stays readable; the hash tells the rest apart.
    assert re.fullmatch(r"2-[0-9a-f]{8}", slug("Δέλτα-2"))
    assert slug("Δέλτα-2") != slug("Γάμμα-2")
    assert re.fullmatch(r"delta-[0-9a-f]{8}", slug("Delta Δ"))
    assert group_name("ats-", "Δέλτα", "agents") == f"ats-{greek}-agents"


@given(st.text(min_size=1, max_size=30))
def test_a_slug_is_a_group_name_part_and_its_own_slug(name: str) -> None:
    made = slug(name)
    assert re.fullmatch(r"[a-z0-9-]*", made)
    # Group names read back from Jira are slugged again: a slug must map to itself.
    assert slug(made) == made


# -- one Unicode form -----------------------------------------------------------------------------


def test_a_name_in_two_unicode_forms_is_one_name(load: Load) -> None:
    result = load(rp_file(rp(NFC_CAFE), rp(NFD_CAFE)))
    assert only_error(result) == (
        f"q.yaml:5:11: error: queue name '{NFC_CAFE}' is already used by another queue at "
        "q.yaml:3 (rp_queues[1].name)"
    )


def test_everything_read_is_nfc(load: Load) -> None:
    text = (
        "version: 1\n"
        "awardee_queues:\n"
        f'  - name: "ACCESS-{NFD_CAFE}-Support"\n'
        f'    description: "{NFD_CAFE} team\\nsecond line"\n'
        f'    previously: ["Old-{NFD_CAFE}"]\n'
        f'    updaters: [{{name: "Ren{NFD_CAFE}e", username: rene}}]\n'
        f'    keywords: ["{NFD_CAFE}"]\n'
    )
    result = load(text)
    assert result.config is not None, lines(result.errors)
    queue = result.config.awardee_queues[0]
    values = [
        queue.name,
        queue.description,
        *queue.previously,
        queue.updaters[0].name,
        *queue.keywords,
    ]
    assert NFC_CAFE in queue.name
    assert all(unicodedata.is_normalized("NFC", v) for v in values), values


def test_keywords_in_two_unicode_forms_and_cases_are_one_keyword(load: Load) -> None:
    text = (
        "version: 1\nawardee_queues:\n"
        f'  - name: ACCESS-A-B\n    keywords: ["{NFC_CAFE.lower()}"]\n'
        f'  - name: ACCESS-C-D\n    keywords: ["{NFD_CAFE.upper()}"]\n'
    )
    assert only_error(load(text)) == (
        "q.yaml:6:16: error: keyword 'CAFÉ' is already claimed by queue 'ACCESS-A-B' at "
        "q.yaml:4; a keyword routes to one queue only (awardee_queues[1].keywords[0])"
    )


def test_queue_selects_a_queue_whatever_the_form_typed() -> None:
    config = Config.model_validate({"version": 1, "rp_queues": [{"name": NFC_CAFE}]})
    assert is_selected(config.rp_queues[0], {NFD_CAFE.upper()})


# -- nothing hidden -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("escaped", "shown"),
    [
        ("Del\\u200bta", "'Del<U+200B>ta' holds U+200B (ZERO WIDTH SPACE)"),
        ("Del\\u200dta", "'Del<U+200D>ta' holds U+200D (ZERO WIDTH JOINER)"),
        ("Del\\u00adta", "'Del<U+00AD>ta' holds U+00AD (SOFT HYPHEN)"),
        ("Del\\ufeffta", "'Del<U+FEFF>ta' holds U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
        ("Delta\\u202e2", "'Delta<U+202E>2' holds U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("Del\\u2066ta", "'Del<U+2066>ta' holds U+2066 (LEFT-TO-RIGHT ISOLATE)"),
        ("Del\\u3164ta", "'Del<U+3164>ta' holds U+3164 (HANGUL FILLER)"),
    ],
)
def test_an_invisible_character_in_a_name_is_refused(load: Load, escaped: str, shown: str) -> None:
    result = load(rp_file(rp(escaped)))
    assert only_error(result) == (
        f"q.yaml:3:11: error: {shown}, an invisible character; remove it (rp_queues[0].name)"
    )


@pytest.mark.parametrize(
    ("escaped", "code"),
    [
        ("\\u2028", "U+2028 (LINE SEPARATOR)"),
        ("\\u2029", "U+2029 (PARAGRAPH SEPARATOR)"),
        ("\\x85", "U+0085 (NEXT LINE)"),
        ("\\r", "U+000D (CARRIAGE RETURN)"),
        ("\\v", "U+000B (LINE TABULATION)"),
    ],
)
def test_a_line_break_of_any_kind_is_refused_in_a_name(load: Load, escaped: str, code: str) -> None:
    result = load(rp_file(rp(f"Delta{escaped}GPU")))
    assert only_error(result) == (
        f"q.yaml:3:11: error: 'name' must be on one line: {code} is a line break "
        "(rp_queues[0].name)"
    )


def test_hidden_characters_are_refused_in_every_field_that_names_something(load: Load) -> None:
    text = (
        "version: 1\n"
        "rp_queues:\n"
        "  - name: Delta\n"
        '    previously: ["NCSA\\u200bDelta"]\n'
        '    agents: [{name: "Jane\\u202eDoe", email: "jdoe@example.edu"}]\n'
        "awardee_queues:\n"
        "  - name: ACCESS-A-B\n"
        '    updaters: [{name: Ada, username: "ada\\u200c"}]\n'
        '    keywords: ["wiki\\u2028pages"]\n'
        '    description: "Line one\\u2028line two"\n'
    )
    assert lines(load(text).errors) == [
        "q.yaml:4:18: error: 'NCSA<U+200B>Delta' holds U+200B (ZERO WIDTH SPACE), an invisible "
        "character; remove it (rp_queues[0].previously[0])",
        "q.yaml:5:21: error: 'Jane<U+202E>Doe' holds U+202E (RIGHT-TO-LEFT OVERRIDE), an "
        "invisible character; remove it (rp_queues[0].agents[0].name)",
        "q.yaml:8:38: error: 'ada<U+200C>' holds U+200C (ZERO WIDTH NON-JOINER), an invisible "
        "character; remove it (awardee_queues[0].updaters[0].username)",
        "q.yaml:9:16: error: 'keywords[0]' must be on one line: U+2028 (LINE SEPARATOR) is a "
        "line break (awardee_queues[0].keywords[0])",
        "q.yaml:10:18: error: 'Line one<U+2028>line two' holds U+2028 (LINE SEPARATOR), a line "
        "break; break lines with a plain new line only (awardee_queues[0].description)",
    ]


def test_a_description_may_have_plain_line_breaks_and_tabs(load: Load) -> None:
    text = rp_file(rp("Delta", 'description: "CPU\\tand GPU\\nsecond line"'))
    result = load(text)
    assert result.config is not None, lines(result.errors)
    assert result.config.rp_queues[0].description == "CPU\tand GPU\nsecond line"


def test_no_message_prints_a_hidden_character(load: Load) -> None:
    # A value no validator of ours quotes safely: the diagnostic still prints it visibly.
    result = load('version: 1\njira:\n  project: "AT\\u202eS"\n')
    assert only_error(result) == (
        "q.yaml:3:12: error: 'AT<U+202E>S' is not a Jira project key (capital letters, e.g. ATS) "
        "(jira.project)"
    )


def test_the_schema_pattern_refuses_what_the_loader_refuses() -> None:
    """Editors check names with the schema's pattern: it must agree with the loader on the
    characters of the Basic Multilingual Plane (surrogates aside: ECMAScript sees pairs)."""
    pattern = re.compile(ONE_LINE_PATTERN)
    disagree = [
        f"U+{code:04X}"
        for code in range(0x10000)
        if not 0xD800 <= code <= 0xDFFF
        and (pattern.fullmatch(chr(code)) is None)
        != (problem(chr(code), one_line=True) is not None)
    ]
    assert disagree == []

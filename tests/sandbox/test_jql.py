"""The JQL grammar: the AST it builds, Jira's own syntax-error messages, and writing JQL back.

The expected messages are the ones Jira's own functional tests (TestJqlParsing) assert for the same
queries, so the sandbox answers a malformed query exactly as Jira does.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accessq.sandbox.jql import (
    And,
    Empty,
    Function,
    JqlSyntaxError,
    Not,
    Or,
    Query,
    Sort,
    Terminal,
    Value,
    ValueList,
    format_query,
    parse,
    quote,
    terminals,
)

OPS = (
    "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' "
    "and 'IS NOT'."
)
ESCAPES = "The valid escape sequences are \\', \\\", \\t, \\n, \\r, \\\\, '\\ ' and \\uXXXX."


def test_a_queue_query() -> None:
    query = parse('component = "General Support" AND resolution = Unresolved ORDER BY created DESC')
    assert query == Query(
        And(
            (
                Terminal("component", "=", Value("General Support")),
                Terminal("resolution", "=", Value("Unresolved")),
            )
        ),
        (Sort("created", "DESC"),),
    )


def test_precedence_is_not_then_and_then_or() -> None:
    query = parse("a = 1 OR NOT b = 2 AND c = 3")
    assert query.where == Or(
        (
            Terminal("a", "=", Value("1")),
            And((Not(Terminal("b", "=", Value("2"))), Terminal("c", "=", Value("3")))),
        )
    )
    grouped = parse("(a = 1 OR b = 2) AND c = 3").where
    assert isinstance(grouped, And) and isinstance(grouped.clauses[0], Or)


def test_operands_and_operators() -> None:
    query = parse(
        "assignee is EMPTY and reporter is not null and assignee = currentUser() "
        "and component not in (Delta, 'Bridges-2', 10000) and text ~ \"gpu quota\" "
        "and summary !~ x and a != b and c in (d)"
    )
    assert isinstance(query.where, And)
    assert [(t.field, t.operator, t.operand) for t in terminals(query.where)] == [
        ("assignee", "is", Empty()),
        ("reporter", "is not", Empty()),
        ("assignee", "=", Function("currentUser")),
        ("component", "not in", ValueList((Value("Delta"), Value("Bridges-2"), Value("10000")))),
        ("text", "~", Value("gpu quota")),
        ("summary", "!~", Value("x")),
        ("a", "!=", Value("b")),
        ("c", "in", ValueList((Value("d"),))),
    ]


def test_keywords_ignore_case_and_have_symbol_forms() -> None:
    assert parse("a = b and c = d") == parse("a = b AND c = d") == parse("a = b && c = d")
    assert parse("a = b or c = d") == parse("a = b | c = d") == parse("a = b || c = d")
    assert parse("not a = b") == parse("!a = b")
    assert parse("a = b Order By x Asc").order_by == (Sort("x", "ASC"),)


def test_unquoted_values_take_what_jira_takes() -> None:
    query = parse("assignee = 712020:d3551473-22d8 AND key = ATS-12 AND created > -7d")
    assert [t.operand for t in terminals(query.where)] == [
        Value("712020:d3551473-22d8"),
        Value("ATS-12"),
        Value("-7d"),
    ]


def test_quotes_and_escapes() -> None:
    query = parse(r"""a = "say \"hi\"" and b = 'it\'s' and c = x\ y and d = "\u0041\t" """)
    assert [t.operand for t in terminals(query.where)] == [
        Value('say "hi"'),
        Value("it's"),
        Value("x y"),
        Value("A\t"),
    ]
    assert parse('"my field" = 1').where == Terminal("my field", "=", Value("1"))


def test_blank_queries_have_no_restriction() -> None:
    assert parse("") == parse("   ") == Query()
    assert parse("ORDER BY created") == Query(None, (Sort("created"),))


JIRA_MESSAGES = [
    ("comment ~ 'test", "The quoted string 'test' has not been completed. (line 1, character 11)"),
    ("comment ~ '", "The quoted string has not been completed. (line 1, character 11)"),
    (
        "comme\\unt ~ 'test",
        f"'\\un' is an illegal JQL escape sequence. {ESCAPES} (line 1, character 6)",
    ),
    (
        "mine{www = qwwr",
        "The character '{' is a reserved JQL character. You must enclose it in a string or use "
        "the escape '\\u007b' instead. (line 1, character 5)",
    ),
    (
        "minewww# = qwwr",
        "The character '#' is a reserved JQL character. You must enclose it in a string or use "
        "the escape '\\u0023' instead. (line 1, character 8)",
    ),
    (
        "minewww =\u007fqwwr",
        "The character 'U+007F' on line 1 at position 10 must be escaped. Use the escape "
        "'\\u007f' instead. (line 1, character 10)",
    ),
    ("a =b order", "Expecting 'by' before the end of the query."),
    ("a =b order summary", "Expecting 'by' but got 'summary'. (line 1, character 12)"),
    ("a =b order by", "Expecting a field name at the end of the query."),
    (
        "a =b order by asc",
        "Expecting a field name but got 'asc'. You must surround 'asc' in quotation marks to use "
        "it as a field name. (line 1, character 15)",
    ),
    (
        "a =b order by ajsks blah",
        "Expecting either 'ASC' or 'DESC' but got 'blah'. (line 1, character 21)",
    ),
    ("order by a desc d", "Expecting ',' but got 'd'. (line 1, character 17)"),
    ("a", f"Expecting operator before the end of the query. {OPS}"),
    ("a blah >", f"Expecting operator but got 'blah'. {OPS} (line 1, character 3)"),
    ("a =a and j not is empty", "Expecting 'IN' but got 'is'. (line 1, character 16)"),
    ("a = func(", "Expecting ')' before the end of the query."),
    ("bas=func(bad,)", "Function argument must be specified. (line 1, character 14)"),
    ("bas=func(bad,", "Expecting a function argument at the end of the query."),
    ("k = func(abc, jk!)", "Expecting ')' or ',' but got '!'. (line 1, character 17)"),
    ("(a=b and c = d", "Expecting ')' before the end of the query."),
    ("a=b or (c=d and not l ~ kate", "Expecting ')' before the end of the query."),
    ("b in ((12, (288)", "Expecting ')' before the end of the query."),
    ("abc IN ((foo) abc = a", "Expecting ')' but got 'abc'. (line 1, character 15)"),
    ("a=", "Expecting either a value, list or function before the end of the query."),
    (
        "a=!",
        "Expecting either a value, list or function but got '!'. You must surround '!' in "
        "quotation marks to use it as a value. (line 1, character 3)",
    ),
    ("a=b c=d", "Expecting either 'OR' or 'AND' but got 'c'. (line 1, character 5)"),
    ("a=(a,", "Expecting either a value, list or function before the end of the query."),
    ("a = ((c,d), d, e, f, yyy) and", "Expecting a field name at the end of the query."),
    (
        'comment !~ "brenden" jack = jill',
        "Expecting either 'OR' or 'AND' but got 'jack'. (line 1, character 22)",
    ),
    (
        ", a = b",
        "Expecting a field name but got ','. You must surround ',' in quotation marks to use it "
        "as a field name. (line 1, character 1)",
    ),
    (
        "summary ~ for",
        "'for' is a reserved JQL word. You must surround it in quotation marks to use it in a "
        "query. (line 1, character 11)",
    ),
]


@pytest.mark.parametrize(("jql", "message"), JIRA_MESSAGES, ids=[c[0] for c in JIRA_MESSAGES])
def test_syntax_errors_read_as_jira_writes_them(jql: str, message: str) -> None:
    with pytest.raises(JqlSyntaxError) as caught:
        parse(jql)
    assert str(caught.value) == f"Error in the JQL Query: {message}"


def test_lexical_errors_come_before_parse_errors() -> None:
    # Jira lexes the whole query first: the reserved character wins over the missing operator.
    with pytest.raises(JqlSyntaxError, match="reserved JQL character"):
        parse("a b = c AND d = e#")


def test_quote_writes_bare_values_when_jira_reads_them_back() -> None:
    assert quote("Delta") == "Delta"
    assert quote("Bridges-2") == "Bridges-2"
    assert quote("General Support") == '"General Support"'
    assert quote("jdoe@example.org") == '"jdoe@example.org"'
    assert quote("and") == '"and"'
    assert quote("select") == '"select"'
    assert quote('a "b"\\') == '"a \\"b\\"\\\\"'
    assert quote("") == '""'


def test_format_query_writes_jql_that_parses_back() -> None:
    text = 'component = "General Support" AND (assignee IS EMPTY OR NOT reporter in (a, b))'
    query = parse(text + " ORDER BY created DESC, key")
    assert format_query(query) == (
        'component = "General Support" AND (assignee IS EMPTY OR NOT reporter IN (a, b)) '
        "ORDER BY created DESC, key"
    )
    assert parse(format_query(query)) == query


_words = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(" \"'\\@#(),"),
    max_size=12,
)
_values = st.builds(Value, _words)
_operands = st.one_of(
    _values,
    st.just(Empty()),
    st.builds(Function, st.sampled_from(["currentUser", "membersOf"]), st.tuples(_words)),
    st.builds(ValueList, st.lists(_values, min_size=1, max_size=3).map(tuple)),
)
_terminals = st.builds(
    Terminal,
    st.sampled_from(["component", "assignee", "my field", "text"]),
    st.sampled_from(["=", "!=", "~", "in", "not in", "is", "is not"]),
    _operands,
)
_clauses = st.recursive(
    _terminals,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.builds(And, st.lists(inner, min_size=2, max_size=3).map(tuple)),
        st.builds(Or, st.lists(inner, min_size=2, max_size=3).map(tuple)),
    ),
    max_leaves=6,
)


def _flat(query: Query) -> Query:
    """Nested ANDs (ORs) written out are one AND (OR) when read back: compare them flattened."""

    def clause(c: object) -> object:
        if isinstance(c, And | Or):
            kind = type(c)
            parts: list[object] = []
            for inner in c.clauses:
                flat = clause(inner)
                parts.extend(flat.clauses if isinstance(flat, kind) else [flat])  # type: ignore[attr-defined]
            return kind(tuple(parts))  # type: ignore[arg-type]
        if isinstance(c, Not):
            return Not(clause(c.clause))  # type: ignore[arg-type]
        return c

    return Query(clause(query.where) if query.where else None, query.order_by)  # type: ignore[arg-type]


@given(_clauses)
def test_any_ast_survives_a_round_trip_through_jql(where: object) -> None:
    query = Query(where)  # type: ignore[arg-type]
    assert _flat(parse(format_query(query))) == _flat(query)

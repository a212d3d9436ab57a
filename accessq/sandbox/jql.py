"""JQL: parse a query into a small AST, and write an AST back as JQL.

Pure: no sandbox or store imports, so accessq itself can build and check JQL with it. The grammar
follows Jira's own (its lexer's tokens, keywords and reserved characters, and the precedence
NOT > AND > OR), for the whole clause structure: `field operator operand` with the operators
`= != ~ !~ < > <= >= IN, NOT IN, IS, IS NOT`, operands that are values, EMPTY (or NULL), lists
and functions, and `ORDER BY field [ASC|DESC], ...`. History searches (WAS, CHANGED) and custom
field references (`cf[10010]`) are not part of it. What the fields mean is for an evaluator
(the sandbox's is `accessq.sandbox.jql_search`).

Syntax errors raise `JqlSyntaxError`, whose message is Jira's, e.g. `Error in the JQL Query:
Expecting operator but got 'blah'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~',
'!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 3)`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

# -- the AST -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A single value; `quoted` records whether the query wrote it in quotes."""

    text: str
    quoted: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Empty:
    """EMPTY (or NULL)."""


@dataclass(frozen=True)
class Function:
    name: str
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValueList:
    items: tuple[Operand, ...]


Operand = Value | Empty | Function | ValueList

OPERATORS = ("=", "!=", "~", "!~", "<", ">", "<=", ">=", "in", "not in", "is", "is not")
Operator = Literal["=", "!=", "~", "!~", "<", ">", "<=", ">=", "in", "not in", "is", "is not"]


@dataclass(frozen=True)
class Terminal:
    """`field operator operand`; operator is one of OPERATORS (words in lower case)."""

    field: str
    operator: str
    operand: Operand


@dataclass(frozen=True)
class And:
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Or:
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Not:
    clause: Clause


Clause = Terminal | And | Or | Not


@dataclass(frozen=True)
class Sort:
    field: str
    direction: Literal["ASC", "DESC"] | None = None


@dataclass(frozen=True)
class Query:
    where: Clause | None = None
    order_by: tuple[Sort, ...] = ()


class JqlSyntaxError(ValueError):
    """A query Jira would not parse; str() is Jira's message for it."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        where = f" (line {line}, character {column})" if line is not None else ""
        super().__init__(f"Error in the JQL Query: {message}{where}")
        self.line = line
        self.column = column


# -- the grammar ---------------------------------------------------------------------------------

# Jira's lexer: characters it reserves, and the words it refuses unquoted (JqlStringSupportImpl).
RESERVED_CHARS = frozenset("{}*/%+^$#@?;")
_RESERVED_WORD_LIST = """
    abort access add alias all alter any as audit avg begin between boolean break byte catch
    char character check checkpoint collate collation column commit connect continue count
    create current date decimal declare decrement default defaults define delete delimiter
    difference distinct divide do double drop else encoding end equals escape exclusive exec
    execute exists explain false fetch file field first float for function go goto grant
    greater group having identified if immediate increment index initial inner inout input
    insert int integer intersect intersection into isempty isnull join last left less like
    limit lock long max min minus mode modify modulo more multiply next noaudit notin nowait
    number object of option outer output power previous prior privileges public raise raw
    remainder rename resource return returns revoke right row rowid rownum rows select session
    set share size sqrt start strict string subtract sum synonym table then trans transaction
    trigger true uid union unique update user validate values view when whenever where while
    with
"""
RESERVED_WORDS = frozenset(_RESERVED_WORD_LIST.split())
_STOP = r"\s\\\"'=!<>()~,\[\]|&{}*\/%+^$#@?;\x00-\x1f\x7f-\x9f"
_ESCAPE = r"\\(?:[tnr\"' \\]|u[0-9a-fA-F]{4})"

_GRAMMAR = rf"""
query: clause? order_by?

clause: and_clause ((OR | PIPES) and_clause)*
and_clause: not_clause ((AND | AMPS) not_clause)*
?not_clause: (NOT | BANG) not_clause -> negation
    | LPAR clause RPAR -> group
    | terminal
terminal: field operator operand
field: STRING | QSTRING

operator: EQ | NE | LIKE | NOT_LIKE | LT | GT | LE | GE
    | IN -> op_in
    | NOT IN -> op_not_in
    | IS -> op_is
    | IS NOT -> op_is_not

operand: (EMPTY | NULL) -> empty
    | (STRING | QSTRING) -> value
    | STRING LPAR (arg (COMMA arg)*)? RPAR -> function
    | LPAR operand (COMMA operand)* RPAR -> value_list
arg: STRING | QSTRING

order_by: ORDER BY sort (COMMA sort)*
sort: field (ASC | DESC)?

AND: "and"i
OR: "or"i
NOT: "not"i
IN: "in"i
IS: "is"i
EMPTY: "empty"i
NULL: "null"i
ORDER: "order"i
BY: "by"i
ASC: "asc"i
DESC: "desc"i
AMPS: "&&" | "&"
PIPES: "||" | "|"
NE: "!="
NOT_LIKE: "!~"
LE: "<="
GE: ">="
EQ: "="
LIKE: "~"
LT: "<"
GT: ">"
BANG: "!"
LPAR: "("
RPAR: ")"
COMMA: ","
STRING: /(?:{_ESCAPE}|[^{_STOP}])+/i
QSTRING: /"(?:\\.|[^"\\])*"/s | /'(?:\\.|[^'\\])*'/s

%ignore /\s+/
"""


@functools.cache
def _parser() -> Lark:
    return Lark(_GRAMMAR, start="query", parser="lalr", lexer="basic", maybe_placeholders=False)


# -- parsing -------------------------------------------------------------------------------------


def parse(jql: str) -> Query:
    """The AST of a JQL query; raise JqlSyntaxError with Jira's message if it does not parse.

    An empty (or blank) query is `Query()`: no restriction, no order.
    """
    parser = _parser()
    # Jira lexes the whole query before parsing it: lexical errors (reserved characters and
    # words, unfinished strings, bad escapes) come first, wherever they are.
    try:
        for token in parser.lex(jql):
            _check_token(token)
    except UnexpectedCharacters as exc:
        raise _lexical_error(jql, exc) from None
    try:
        tree = parser.parse(jql)
    except UnexpectedToken as exc:
        raise _syntax_error(exc) from None
    except UnexpectedInput as exc:  # pragma: no cover - the lex pass above catches these
        raise JqlSyntaxError(f"Unable to parse the query at {str(exc)!r}.") from None
    query: Query = _ToAst().transform(tree)
    return query


def _check_token(token: Token) -> None:
    if token.type == "STRING":
        text = _decode(str(token), token)
        if text.lower() in RESERVED_WORDS:
            raise JqlSyntaxError(
                f"'{text}' is a reserved JQL word. You must surround it in quotation marks to "
                "use it in a query.",
                token.line,
                token.column,
            )
    elif token.type == "QSTRING":
        _decode(str(token)[1:-1], token, offset=1)


_VALID_ESCAPES = "The valid escape sequences are \\', \\\", \\t, \\n, \\r, \\\\, '\\ ' and \\uXXXX."
_SIMPLE_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "'": "'", " ": " ", "\\": "\\"}
_UNICODE_ESCAPE = re.compile(r"[0-9a-fA-F]{4}")


def _decode(text: str, token: Token, offset: int = 0) -> str:
    """The text of a string token with its escapes resolved (Jira's JqlStringSupportImpl.decode)."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char != "\\":
            out.append(char)
            i += 1
            continue
        nxt = text[i + 1 : i + 2]
        column = (token.column or 0) + offset + i
        if nxt in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[nxt])
            i += 2
        elif nxt == "u" and _UNICODE_ESCAPE.fullmatch(text[i + 2 : i + 6]):
            out.append(chr(int(text[i + 2 : i + 6], 16)))
            i += 6
        else:
            raise _bad_escape(text[i:], token.line, column)
    return "".join(out)


def _bad_escape(text: str, line: int | None, column: int | None) -> JqlSyntaxError:
    """Jira's message for the escape that text (starting at its backslash) begins with."""
    if len(text) < 2:
        return JqlSyntaxError(
            f"The escape sequence has not been completed. {_VALID_ESCAPES}", line, column
        )
    shown = text[:2]
    if text[1] == "u":  # \u and the hex digits up to (and with) the first that is not one
        for char in text[2:6]:
            shown += char
            if char not in "0123456789abcdefABCDEF":
                break
    return JqlSyntaxError(
        f"'{shown}' is an illegal JQL escape sequence. {_VALID_ESCAPES}", line, column
    )


def _lexical_error(jql: str, exc: UnexpectedCharacters) -> JqlSyntaxError:
    pos, line, column = exc.pos_in_stream or 0, exc.line, exc.column
    char = jql[pos]
    if char in "\"'":
        rest = jql[pos + 1 :].replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        if not rest:
            return JqlSyntaxError("The quoted string has not been completed.", line, column)
        return JqlSyntaxError(f"The quoted string '{rest}' has not been completed.", line, column)
    if char in RESERVED_CHARS:
        return JqlSyntaxError(
            f"The character '{char}' is a reserved JQL character. You must enclose it in a string "
            f"or use the escape '\\u{ord(char):04x}' instead.",
            line,
            column,
        )
    if char == "\\":
        return _bad_escape(jql[pos:], line, column)
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        return JqlSyntaxError(
            f"The character 'U+{ord(char):04X}' on line {line} at position {column} must be "
            f"escaped. Use the escape '\\u{ord(char):04x}' instead.",
            line,
            column,
        )
    return JqlSyntaxError(f"Unable to parse the query at '{char}'.", line, column)


_OPERATOR_LIST = (
    "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', "
    "'IS' and 'IS NOT'."
)
_TOKEN_NAMES = {"BY": "by", "IN": "IN", "NOT": "NOT", "RPAR": ")", "COMMA": ",", "LPAR": "("}


def _syntax_error(exc: UnexpectedToken) -> JqlSyntaxError:
    """Jira's message for a token the grammar did not expect, from what it did expect."""
    token = exc.token
    expected = set(exc.expected)
    at_end = token.type == "$END"
    got = str(token)
    where: tuple[int | None, int | None] = (None, None) if at_end else (token.line, token.column)

    def fail(at_end_text: str, got_text: str) -> JqlSyntaxError:
        return JqlSyntaxError(at_end_text) if at_end else JqlSyntaxError(got_text, *where)

    context = _context(exc)
    if expected == {"BY"}:
        return fail(
            "Expecting 'by' before the end of the query.", f"Expecting 'by' but got '{got}'."
        )
    if context == "order":
        if "ASC" in expected and not at_end:
            return JqlSyntaxError(f"Expecting either 'ASC' or 'DESC' but got '{got}'.", *where)
        if "STRING" in expected:
            return fail(
                "Expecting a field name at the end of the query.",
                f"Expecting a field name but got '{got}'. You must surround '{got}' in quotation "
                "marks to use it as a field name.",
            )
        return JqlSyntaxError(f"Expecting ',' but got '{got}'.", *where)
    if "EQ" in expected:
        return fail(
            f"Expecting operator before the end of the query. {_OPERATOR_LIST}",
            f"Expecting operator but got '{got}'. {_OPERATOR_LIST}",
        )
    if "EMPTY" in expected:
        return fail(
            "Expecting either a value, list or function before the end of the query.",
            f"Expecting either a value, list or function but got '{got}'. You must surround "
            f"'{got}' in quotation marks to use it as a value.",
        )
    if context == "function":
        if "STRING" in expected and "RPAR" not in expected:
            return fail(
                "Expecting a function argument at the end of the query.",
                "Function argument must be specified."
                if token.type in ("RPAR", "COMMA")
                else f"Expecting a function argument but got '{got}'. You must surround "
                f"'{got}' in quotation marks to use it as an argument.",
            )
        if "STRING" in expected:
            return fail(
                "Expecting ')' before the end of the query.",
                f"Expecting a function argument but got '{got}'. You must surround '{got}' in "
                "quotation marks to use it as an argument.",
            )
        return fail(
            "Expecting ')' before the end of the query.", f"Expecting ')' or ',' but got '{got}'."
        )
    if "STRING" in expected:  # the field name of a clause
        return fail(
            "Expecting a field name at the end of the query.",
            f"Expecting a field name but got '{got}'. You must surround '{got}' in quotation "
            "marks to use it as a field name.",
        )
    if context == "list":
        return fail("Expecting ')' before the end of the query.", f"Expecting ')' but got '{got}'.")
    if "AND" in expected:
        if at_end:
            return JqlSyntaxError("Expecting ')' before the end of the query.")
        return JqlSyntaxError(f"Expecting either 'OR' or 'AND' but got '{got}'.", *where)
    names = [_TOKEN_NAMES.get(name, name) for name in sorted(expected) if name != "$END"]
    if len(names) == 1:
        return fail(
            f"Expecting '{names[0]}' before the end of the query.",
            f"Expecting '{names[0]}' but got '{got}'.",
        )
    return fail("Unable to parse the end of the query.", f"Unable to parse the query at '{got}'.")


def _context(exc: UnexpectedToken) -> str:
    """Where the parser was: inside a function's arguments, a list, a group, an ORDER BY, or not.

    Read from the parser's value stack: a '(' still on it is unmatched; what precedes it tells
    a function call (its name) from a list (an operator) and a group (anything else).
    """
    parser = exc.interactive_parser
    stack: list[Any] = list(parser.parser_state.value_stack) if parser is not None else []
    for index in range(len(stack) - 1, -1, -1):
        item = stack[index]
        if isinstance(item, Token) and item.type in ("ORDER", "BY"):
            return "order"
        if isinstance(item, Tree) and item.data == "order_by":  # pragma: no cover - defensive
            return "order"
        if isinstance(item, Token) and item.type == "LPAR":
            before = stack[index - 1] if index > 0 else None
            if isinstance(before, Token) and before.type == "STRING":
                return "function"
            if isinstance(before, Tree) and str(before.data).startswith("op"):
                return "list"
            if isinstance(before, Token) and before.type == "COMMA":
                return "list"
            if isinstance(before, Token) and before.type == "LPAR":
                # a '(' right after '(': the inner one opens a list when the outer one does
                outer = stack[index - 2] if index > 1 else None
                if isinstance(outer, Tree) and str(outer.data).startswith("op"):
                    return "list"
            return "group"
    return "top"


_OPERATOR_TREES = {
    "op_in": "in",
    "op_not_in": "not in",
    "op_is": "is",
    "op_is_not": "is not",
}


@v_args(inline=True)
class _ToAst(Transformer[Token, Any]):
    def query(self, *parts: Any) -> Query:
        where = next((p for p in parts if not isinstance(p, tuple)), None)
        order = next((p for p in parts if isinstance(p, tuple)), ())
        return Query(where, order)

    def clause(self, *parts: Any) -> Clause:
        clauses = tuple(p for p in parts if not isinstance(p, Token))
        return clauses[0] if len(clauses) == 1 else Or(clauses)

    def and_clause(self, *parts: Any) -> Clause:
        clauses = tuple(p for p in parts if not isinstance(p, Token))
        return clauses[0] if len(clauses) == 1 else And(clauses)

    def negation(self, _not: Token, clause: Clause) -> Clause:
        return Not(clause)

    def group(self, _lpar: Token, clause: Clause, _rpar: Token) -> Clause:
        return clause

    def terminal(self, name: str, operator: str, operand: Operand) -> Terminal:
        return Terminal(name, operator, operand)

    def field(self, token: Token) -> str:
        return _text(token)

    def operator(self, token: Token) -> str:
        return str(token)

    def op_in(self, *_: Token) -> str:
        return "in"

    def op_not_in(self, *_: Token) -> str:
        return "not in"

    def op_is(self, *_: Token) -> str:
        return "is"

    def op_is_not(self, *_: Token) -> str:
        return "is not"

    def empty(self, _token: Token) -> Empty:
        return Empty()

    def value(self, token: Token) -> Value:
        return Value(_text(token), quoted=token.type == "QSTRING")

    def function(self, name: Token, *rest: Any) -> Function:
        args = tuple(a for a in rest if not isinstance(a, Token))
        return Function(_text(name), args)

    def arg(self, token: Token) -> str:
        return _text(token)

    def value_list(self, *parts: Any) -> ValueList:
        return ValueList(tuple(p for p in parts if not isinstance(p, Token)))

    def order_by(self, *parts: Any) -> tuple[Sort, ...]:
        return tuple(p for p in parts if isinstance(p, Sort))

    def sort(self, name: str, direction: Token | None = None) -> Sort:
        if direction is None:
            return Sort(name)
        return Sort(name, "ASC" if direction.type == "ASC" else "DESC")


def _text(token: Token) -> str:
    if token.type == "QSTRING":
        return _decode(str(token)[1:-1], token, offset=1)
    return _decode(str(token), token)


# -- writing JQL ---------------------------------------------------------------------------------

_KEYWORDS = frozenset(
    {"and", "or", "not", "in", "is", "empty", "null", "order", "by", "asc", "desc"}
)
_UNQUOTED = re.compile(rf"[^{_STOP}]+")


def quote(text: str) -> str:
    """text as a JQL value or field name: bare when Jira would read it back unchanged, else quoted.

    `quote('Delta')` is `Delta`; `quote('General Support')` is `"General Support"`.
    """
    if _UNQUOTED.fullmatch(text) and text.lower() not in RESERVED_WORDS | _KEYWORDS:
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    escaped = escaped.replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def format_operand(operand: Operand) -> str:
    if isinstance(operand, Empty):
        return "EMPTY"
    if isinstance(operand, Function):
        return f"{quote(operand.name)}({', '.join(quote(a) for a in operand.args)})"
    if isinstance(operand, ValueList):
        return f"({', '.join(format_operand(i) for i in operand.items)})"
    return quote(operand.text)


def display_operand(operand: Operand) -> str:
    """An operand as Jira's messages show it: values in double quotes, `f()`, `("a", "b")`."""
    if isinstance(operand, Empty):
        return "EMPTY"
    if isinstance(operand, Function):
        return f"{operand.name}({', '.join(operand.args)})"
    if isinstance(operand, ValueList):
        return f"({', '.join(display_operand(i) for i in operand.items)})"
    return f'"{operand.text}"'


def format_clause(clause: Clause) -> str:
    if isinstance(clause, Terminal):
        operator = clause.operator.upper() if clause.operator[0].isalpha() else clause.operator
        return f"{quote(clause.field)} {operator} {format_operand(clause.operand)}"
    if isinstance(clause, Not):
        inner = format_clause(clause.clause)
        return f"NOT {inner}" if isinstance(clause.clause, Terminal | Not) else f"NOT ({inner})"
    if isinstance(clause, And):
        return " AND ".join(
            f"({format_clause(c)})" if isinstance(c, Or) else format_clause(c)
            for c in clause.clauses
        )
    return " OR ".join(format_clause(c) for c in clause.clauses)


def format_query(query: Query) -> str:
    """JQL that parses back to query (`parse(format_query(q)) == q`)."""
    parts = [format_clause(query.where)] if query.where is not None else []
    if query.order_by:
        sorts = (
            f"{quote(s.field)}{f' {s.direction}' if s.direction else ''}" for s in query.order_by
        )
        parts.append("ORDER BY " + ", ".join(sorts))
    return " ".join(parts)


def terminals(clause: Clause | None) -> Iterable[Terminal]:
    """Every terminal clause of clause, left to right."""
    if clause is None:
        return
    if isinstance(clause, Terminal):
        yield clause
    elif isinstance(clause, Not):
        yield from terminals(clause.clause)
    else:
        for inner in clause.clauses:
            yield from terminals(inner)


__all__ = [
    "OPERATORS",
    "And",
    "Clause",
    "Empty",
    "Function",
    "JqlSyntaxError",
    "Not",
    "Operand",
    "Operator",
    "Or",
    "Query",
    "Sort",
    "Terminal",
    "Value",
    "ValueList",
    "display_operand",
    "format_clause",
    "format_operand",
    "format_query",
    "parse",
    "quote",
    "terminals",
]

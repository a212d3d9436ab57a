"""Matching a text against every queue's routing words, through an index compiled once.

A word matches where its tokens (`config.text.route_tokens`: case, accents, Unicode form and
spacing ignored; punctuation kept, each mark a token) stand as consecutive tokens of the text,
so a keyword never matches inside another word (`ood` is not in `food`). At each position of the
text the longest word wins, and the words inside it are spent: `C++` in a ticket is the keyword
`C++`, not also `C`, and `access wiki` is not also `wiki`.

A queue's score is the number of words (as written, split at spaces) of the distinct terms it
matched: a phrase says more than one word, and repeating a word in a ticket adds nothing. The
index is a trie over tokens, so routing costs one walk of the text, whatever the number of queues.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accessq.config.text import has_letter_or_digit, route_tokens
from accessq.routing.vocabulary import QueueWords


class _Node:
    __slots__ = ("next", "owners")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.owners: list[tuple[str, str, int]] = []  # (queue, term, weight) ending here


@dataclass(frozen=True)
class Match:
    """A queue a text matched: its score and the terms (as the queue file spells them)."""

    queue: str
    kind: str
    score: int
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    """The ranked matches and what they decide: a queue, a tie, or nothing."""

    matches: tuple[Match, ...]

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    @property
    def tied(self) -> tuple[Match, ...]:
        """The best two (or more) when they share the top score, else ()."""
        if len(self.matches) < 2 or self.matches[1].score != self.matches[0].score:
            return ()
        return tuple(m for m in self.matches if m.score == self.matches[0].score)

    @property
    def winner(self) -> Match | None:
        """The one best queue, or None when nothing matched or the best tie."""
        return None if self.tied else self.best


def _weight(term: str) -> int:
    """How many words a term has, as written (`open ondemand` 2, `Bridges-2` and `C++` 1)."""
    return max(1, sum(1 for word in term.split() if has_letter_or_digit(word)))


class Router:
    """Routing words compiled for fast matching; build once, route many texts."""

    def __init__(self, queues: Iterable[QueueWords]) -> None:
        self.queues = {q.name: q for q in queues}
        self._root = _Node()
        for queue in self.queues.values():
            for term in queue.terms:
                tokens = route_tokens(term)
                if not tokens:
                    continue
                node = self._root
                for token in tokens:
                    node = node.next.setdefault(token, _Node())
                node.owners.append((queue.name, term, _weight(term)))

    def route(self, text: str) -> Decision:
        tokens = route_tokens(text)
        found: dict[str, dict[str, int]] = {}  # queue -> term -> weight
        start, size = 0, len(tokens)
        while start < size:
            node: _Node | None = self._root
            longest: list[tuple[str, str, int]] = []
            length = 1
            for end in range(start, size):
                node = node.next.get(tokens[end]) if node is not None else None
                if node is None:
                    break
                if node.owners:
                    longest, length = node.owners, end - start + 1
            for queue, term, weight in longest:
                found.setdefault(queue, {})[term] = weight
            start += length  # leftmost-longest: words inside a matched phrase are spent
        matches = [
            Match(
                queue=name,
                kind=self.queues[name].kind,
                score=sum(terms.values()),
                terms=tuple(terms),
            )
            for name, terms in found.items()
        ]
        matches.sort(key=lambda m: (-m.score, m.queue.casefold()))
        return Decision(tuple(matches))

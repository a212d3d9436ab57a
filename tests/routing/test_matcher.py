"""Golden cases of matching: what a ticket's text routes to, and why."""

from __future__ import annotations

import pytest

from accessq.routing.matcher import Router
from accessq.routing.vocabulary import QueueWords


def aw(name: str, *keywords: str, aliases: tuple[str, ...] = ()) -> QueueWords:
    return QueueWords(name, "awardee", tuple(keywords), aliases, None)


def rp(name: str, *aliases: str) -> QueueWords:
    return QueueWords(name, "rp", (), tuple(aliases), None)


ROUTER = Router(
    [
        rp("Jetstream-2", "Jetstream2", "JS2"),
        rp("Delta"),
        aw("ACCESS-Languages", "C", "C++", "C#", "R (language)"),
        aw("ACCESS-Compilers", "C, C++"),
        aw("ACCESS-OOD", "open ondemand", "ood"),
        aw("ACCESS-Wiki", "access wiki", aliases=("Confluence",)),
        aw("ACCESS-Help", "wiki"),
        aw("ACCESS-Cafe", "Café"),
    ]
)


@pytest.mark.parametrize(
    ("text", "queue", "terms"),
    [
        # Case and spacing do not matter; a phrase may break across lines.
        ("My OPEN\n  OnDemand session dies", "ACCESS-OOD", ("open ondemand",)),
        # Accents folded both ways, and compatibility forms (full-width letters).
        ("The cafe is closed", "ACCESS-Cafe", ("Café",)),
        ("CAFÉ question", "ACCESS-Cafe", ("Café",)),
        ("ｃａｆｅ", "ACCESS-Cafe", ("Café",)),
        ("Cafe\u0301 again", "ACCESS-Cafe", ("Café",)),
        # Punctuation around a word does not hide it; inside a keyword it must be there.
        ("Is (Delta) down?", "Delta", ("Delta",)),
        ("jobs on delta.", "Delta", ("Delta",)),
        ("Jetstream-2 VM", "Jetstream-2", ("Jetstream-2",)),
        ("jetstream2 VM", "Jetstream-2", ("Jetstream2",)),
        ("compiling C++ code", "ACCESS-Languages", ("C++",)),
        ("a C# question", "ACCESS-Languages", ("C#",)),
        ("Using R (language) on Anvil", "ACCESS-Languages", ("R (language)",)),
        # A keyword with a comma is a phrase with its comma.
        ("about C, C++ toolchains", "ACCESS-Compilers", ("C, C++",)),
        # The longest word wins and spends the words inside it.
        ("the ACCESS wiki is out of date", "ACCESS-Wiki", ("access wiki",)),
        ("confluence page", "ACCESS-Wiki", ("Confluence",)),
    ],
)
def test_golden_matches(text: str, queue: str, terms: tuple[str, ...]) -> None:
    decision = ROUTER.route(text)
    assert decision.winner is not None
    assert (decision.winner.queue, decision.winner.terms) == (queue, terms)
    assert len(decision.matches) == 1, decision.matches


@pytest.mark.parametrize(
    "text",
    [
        "I need food",  # ood inside food
        "the deltas are large",  # delta inside deltas
        "Jetstream 3",  # not Jetstream-2
        "js20 is a typo",  # js2 inside js20
        "wikipedia says",  # wiki inside wikipedia
        "my_ood_script",  # underscore joins a word
        "",
    ],
)
def test_a_word_inside_another_word_does_not_match(text: str) -> None:
    assert ROUTER.route(text).matches == ()


def test_queues_rank_by_score_and_a_tie_names_both() -> None:
    decision = ROUTER.route("open ondemand on Delta, and ood again")
    assert [(m.queue, m.score) for m in decision.matches] == [("ACCESS-OOD", 3), ("Delta", 1)]
    assert decision.winner is not None and decision.winner.queue == "ACCESS-OOD"
    tie = ROUTER.route("Delta or wiki?")
    assert tie.winner is None
    assert [m.queue for m in tie.tied] == ["ACCESS-Help", "Delta"]


def test_repeating_a_word_adds_nothing() -> None:
    assert ROUTER.route("delta delta delta").matches[0].score == 1

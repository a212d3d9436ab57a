"""The `Keywords:` line of a component description holds any one-line keyword, commas included,
and leaves the components written in the older comma form exactly as they are."""

from __future__ import annotations

from accessq.model.naming import decode_description, encode_description


def test_keywords_without_commas_keep_the_comma_form_so_live_components_do_not_change() -> None:
    text = encode_description("Wiki help", ["confluence", "access wiki"])
    assert text == "Wiki help\n\nKeywords: confluence, access wiki\nManaged by accessq."


def test_a_keyword_with_a_comma_round_trips() -> None:
    text = encode_description("", ["C, C++", "R"])
    assert text == 'Keywords: ["C, C++", "R"]\nManaged by accessq.'
    assert decode_description(text).keywords == ("C, C++", "R")


def test_a_comma_form_that_looks_like_json_is_written_as_json() -> None:
    for keywords in (["[x]"], ['["a"]', "b"], ["Ünïcode, ok"]):
        assert decode_description(encode_description("d", keywords)).keywords == tuple(keywords)


def test_an_older_component_with_the_comma_form_still_reads() -> None:
    assert decode_description("Keywords: wiki, ood\nManaged by accessq.").keywords == (
        "wiki",
        "ood",
    )
    # Not a JSON list of text: read as the comma form, as before.
    assert decode_description("Keywords: [1, 2\nManaged by accessq.").keywords == ("[1", "2")


# -- the `Aliases:` line (issue 15: aliases live in Jira too) ---------------------------------


def test_no_aliases_writes_no_aliases_line_so_live_components_do_not_change() -> None:
    plain = encode_description("Wiki help", ["wiki"])
    assert encode_description("Wiki help", ["wiki"], []) == plain
    assert "Aliases" not in encode_description("Wiki help", ["wiki"], ())


def test_the_aliases_line_comes_before_the_keywords_line() -> None:
    text = encode_description("Cloud", ["vm"], ["Jetstream2", "JS2"])
    assert text == "Cloud\n\nAliases: Jetstream2, JS2\nKeywords: vm\nManaged by accessq."
    decoded = decode_description(text)
    assert (decoded.description, decoded.keywords, decoded.aliases) == (
        "Cloud",
        ("vm",),
        ("Jetstream2", "JS2"),
    )


def test_aliases_round_trip_with_commas_json_looking_text_and_no_keywords() -> None:
    cases: list[tuple[str, list[str], list[str]]] = [
        ("", [], ["C, C++"]),
        ("d", [], ["[x]", "y"]),
        ("d", ["k, l"], ['["a"]']),
        ("Line one\nline two", ["Keywords: x"], ["Aliases: y"]),
        ("", [], []),
    ]
    for description, keywords, aliases in cases:
        decoded = decode_description(encode_description(description, keywords, aliases))
        assert decoded.managed
        assert (decoded.description, list(decoded.keywords), list(decoded.aliases)) == (
            description,
            keywords,
            aliases,
        )


def test_text_starting_with_aliases_inside_the_description_is_not_read_as_aliases() -> None:
    for description in ("Aliases: JS2", "Intro\nAliases: JS2 is what users say", "Aliases: [1]"):
        for keywords in ([], ["vm"]):
            decoded = decode_description(encode_description(description, keywords))
            assert decoded.aliases == ()
            assert decoded.description == description
            assert decoded.keywords == tuple(keywords)


def test_the_trailer_lines_are_read_in_their_fixed_order_only() -> None:
    # Keywords before Aliases is not what accessq writes: the Aliases line is the last one, so
    # it is read, and the Keywords line above it stays in the description text.
    decoded = decode_description("Keywords: vm\nAliases: JS2\nManaged by accessq.")
    assert decoded.aliases == ("JS2",)
    assert decoded.keywords == ()
    assert decoded.description == "Keywords: vm"
    # Aliases without keywords: the line right before the marker.
    decoded = decode_description("Aliases: JS2\nManaged by accessq.")
    assert (decoded.description, decoded.keywords, decoded.aliases) == ("", (), ("JS2",))

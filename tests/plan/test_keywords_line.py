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

"""Rules across queues and files: each broken rule is an error at the offending value."""

from __future__ import annotations

from accessq.config.checks import check_config
from accessq.config.loader import load_config
from accessq.config.models import AwardeeQueue, Config, Location, RPQueue, Updater
from tests.config.helpers import Load, Write, lines, only_error


def rp(name: str, *extra: str) -> str:
    """An RP queue entry with one agent; `extra` lines go between the name and the agents."""
    body = "".join(f"    {line}\n" for line in extra)
    return f"  - name: {name}\n{body}    agents: [{{name: A, email: a@rp.example.edu}}]\n"


def test_queue_names_are_unique_ignoring_case(load: Load) -> None:
    result = load("version: 1\nrp_queues:\n" + rp("Delta") + rp("DELTA"))
    assert only_error(result) == (
        "q.yaml:5:11: error: queue name 'DELTA' is already used by another queue at q.yaml:3 "
        "as 'Delta'; names ignore case (rp_queues[1].name)"
    )


def test_rp_and_awardee_queues_share_one_namespace(load: Load) -> None:
    text = "version: 1\nrp_queues:\n" + rp("Delta")
    text += "awardee_queues:\n  - name: Delta\n"
    assert only_error(load(text)) == (
        "q.yaml:6:11: error: queue name 'Delta' is already used by another queue at q.yaml:3 "
        "(awardee_queues[0].name)"
    )


def test_previously_names_count(load: Load) -> None:
    text = "version: 1\nrp_queues:\n" + rp("Delta", "previously: [NCSA-Delta]") + rp("ncsa-delta")
    assert only_error(load(text)) == (
        "q.yaml:6:11: error: queue name 'ncsa-delta' is already used as a former name "
        "(previously) at q.yaml:4 as 'NCSA-Delta'; names ignore case (rp_queues[1].name)"
    )


def test_a_former_name_cannot_be_the_queues_own_name(load: Load) -> None:
    text = "version: 1\nrp_queues:\n" + rp("Delta", "previously: [delta]")
    assert only_error(load(text)) == (
        "q.yaml:4:18: error: 'delta' in 'previously' is this queue's own name "
        "(rp_queues[0].previously[0])"
    )


def test_a_former_name_listed_twice(load: Load) -> None:
    text = "version: 1\nrp_queues:\n" + rp("Delta", "previously: [NCSA-Delta, ncsa-delta]")
    assert only_error(load(text)) == (
        "q.yaml:4:30: error: 'ncsa-delta' is listed twice in 'previously' "
        "(rp_queues[0].previously[1])"
    )


def test_names_that_give_the_same_jira_groups(load: Load) -> None:
    text = "version: 1\nrp_queues:\n" + rp("Jetstream-2") + rp("Jetstream 2")
    result = load(text)
    assert lines(result.errors) == [
        "q.yaml:5:11: error: queue name 'Jetstream 2' gives the same Jira groups "
        "(ats-jetstream-2-*) as 'Jetstream-2' at q.yaml:3 (rp_queues[1].name)"
    ]


def test_a_rename_may_keep_the_slug(load: Load) -> None:
    assert load("version: 1\nrp_queues:\n" + rp("Jetstream-2", "previously: [Jetstream 2]")).ok


def test_queue_name_without_letters_or_digits(load: Load) -> None:
    result = load('version: 1\nawardee_queues:\n  - name: "+++"\n')
    assert only_error(result) == (
        "q.yaml:3:11: error: queue name '+++' has no letters or digits, so it gives no Jira "
        "group name (awardee_queues[0].name)"
    )


AWARDEE = """\
version: 1
awardee_queues:
  - name: ACCESS-ACO-Support
    updaters:
      - {name: Ada Lovelace, username: alovelace}
      - {name: Alan Turing, username: aturing}
"""


def test_default_assignee_must_be_an_updater(load: Load) -> None:
    result = load(AWARDEE + "    default_assignee: ghopper\n")
    assert only_error(result) == (
        "q.yaml:7:23: error: default assignee 'ghopper' is not one of the updaters "
        "(alovelace, aturing) (awardee_queues[0].default_assignee)"
    )


def test_default_assignee_of_a_queue_without_updaters(load: Load) -> None:
    result = load("version: 1\nawardee_queues:\n  - name: ACCESS-X-Y\n    default_assignee: ada\n")
    assert "default assignee 'ada' is not one of the updaters (this queue has none)" in (
        only_error(result)
    )


def test_keyword_claimed_by_two_queues(load: Load) -> None:
    text = AWARDEE + "    keywords: [wiki]\n  - name: ACCESS-CSSN-Support\n    keywords: [Wiki]\n"
    assert only_error(load(text)) == (
        "q.yaml:9:16: error: keyword 'Wiki' is already claimed by queue 'ACCESS-ACO-Support' "
        "at q.yaml:7; a keyword routes to one queue only (awardee_queues[1].keywords[0])"
    )


def test_keyword_twice_in_one_queue(load: Load) -> None:
    assert only_error(load(AWARDEE + "    keywords: [wiki, WIKI]\n")) == (
        "q.yaml:7:22: error: keyword 'WIKI' is listed twice in this queue "
        "(awardee_queues[0].keywords[1])"
    )


def test_keyword_claimed_ignoring_accents_and_spacing(load: Load) -> None:
    text = AWARDEE + '    keywords: ["Café  Jobs"]\n  - name: ACCESS-CSSN-Support\n'
    text += '    keywords: ["cafe jobs"]\n'
    assert only_error(load(text)) == (
        "q.yaml:9:16: error: keyword 'cafe jobs' is already claimed by queue "
        "'ACCESS-ACO-Support' at q.yaml:7; a keyword routes to one queue only "
        "(awardee_queues[1].keywords[0])"
    )


def test_alias_of_one_queue_is_a_keyword_of_another(load: Load) -> None:
    text = "version: 1\nrp_queues:\n" + rp("Jetstream-2", "aliases: [Jetstream2]")
    text += "awardee_queues:\n  - name: ACCESS-A-B\n    keywords: [JETSTREAM2]\n"
    assert only_error(load(text)) == (
        "q.yaml:8:16: error: keyword 'JETSTREAM2' is already claimed by queue 'Jetstream-2' "
        "at q.yaml:4 (as alias 'Jetstream2'); a keyword routes to one queue only "
        "(awardee_queues[0].keywords[0])"
    )


def test_rp_queue_name_is_a_routing_word(load: Load) -> None:
    text = "version: 1\nrp_queues:\n" + rp("Delta")
    text += "awardee_queues:\n  - name: ACCESS-A-B\n    aliases: [delta]\n"
    assert only_error(load(text)) == (
        "q.yaml:7:15: error: alias 'delta' is already claimed by queue 'Delta' at q.yaml:3 "
        "(as queue name 'Delta'); an alias routes to one queue only "
        "(awardee_queues[0].aliases[0])"
    )


def test_alias_repeating_its_own_queue_name(load: Load) -> None:
    text = "version: 1\nrp_queues:\n" + rp("Jetstream-2", "aliases: [JETSTREAM-2]")
    assert only_error(load(text)) == (
        "q.yaml:4:15: error: alias 'JETSTREAM-2' repeats the queue name 'Jetstream-2' of this "
        "queue (rp_queues[0].aliases[0])"
    )


def test_same_email_twice_in_one_list(load: Load) -> None:
    text = """\
    version: 1
    rp_queues:
      - name: Delta
        agents:
          - {name: Jane Doe, email: jdoe@illinois.example.edu}
          - {name: J. Doe, email: JDoe@Illinois.example.edu}
    """
    assert only_error(load(text)) == (
        "q.yaml:6:10: error: J. Doe is listed twice in 'agents' (same email as Jane Doe at "
        "line 5) (rp_queues[0].agents[1])"
    )


def test_same_person_in_agents_and_watchers_is_fine(load: Load) -> None:
    text = """\
    version: 1
    rp_queues:
      - name: Delta
        agents: [{name: Jane Doe, email: jdoe@illinois.example.edu}]
        watchers: [{name: Jane Doe, email: jdoe@illinois.example.edu}]
    """
    assert load(text).ok


def test_same_username_twice(load: Load) -> None:
    text = AWARDEE + "      - {name: Ada L., username: ALovelace}\n"
    assert only_error(load(text)) == (
        "q.yaml:7:10: error: Ada L. is listed twice in 'updaters' (same username as "
        "Ada Lovelace at line 5) (awardee_queues[0].updaters[2])"
    )


def test_same_account_id_twice(load: Load) -> None:
    text = """\
    version: 1
    rp_queues:
      - name: Anvil
        watchers:
          - {name: Priya Nair, account_id: "712020:ac5c"}
          - {name: P. Nair, email: pnair@purdue.example.edu, account_id: "712020:ac5c"}
    """
    assert only_error(load(text)) == (
        "q.yaml:6:10: error: P. Nair is listed twice in 'watchers' (same account_id as "
        "Priya Nair at line 5) (rp_queues[0].watchers[1])"
    )


def test_jira_and_safety_in_one_file_only(write: Write) -> None:
    write("queues/a.yaml", "version: 1\njira: {project: ATS}\nsafety: {min_agents: 1}\n")
    write("queues/b.yaml", "version: 1\njira:\n  project: ATS\n")
    write("queues/c.yaml", "version: 1\nrp_queues: []\nsafety: {min_agents: 2}\n")
    result = load_config(["queues"])
    assert lines(result.errors) == [
        "queues/b.yaml:2:1: error: 'jira:' may appear in one file only; it is already set at "
        "queues/a.yaml:2 (jira)",
        "queues/c.yaml:3:1: error: 'safety:' may appear in one file only; it is already set at "
        "queues/a.yaml:3 (safety)",
    ]


def test_names_unique_across_files(write: Write) -> None:
    write("queues/a.yaml", "version: 1\nrp_queues:\n" + rp("Delta"))
    write("queues/b.yaml", "version: 1\nawardee_queues:\n  - name: delta\n")
    result = load_config(["queues"])
    assert only_error(result) == (
        "queues/b.yaml:3:11: error: queue name 'delta' is already used by another queue at "
        "queues/a.yaml:3 as 'Delta'; names ignore case (awardee_queues[0].name)"
    )


def test_every_error_at_once_sorted_by_file_and_line(write: Write) -> None:
    # Bad values do not hide the rules across queues: a queue with a misspelt key still
    # takes part in the name check, and an invalid person still leaves the others checked.
    write(
        "queues/b.yaml",
        """\
        version: 1
        rp_queues:
          - name: Delta
            agnets: []
            agents:
              - {name: Jane Doe, email: jdoe@illinois.example.edu}
              - {name: Nobody, email: "not an email"}
              - {name: Jane Doe, email: jdoe@illinois.example.edu}
        """,
    )
    write(
        "queues/a.yaml",
        """\
        version: 1
        rp_queues:
          - name: DELTA
        awardee_queues:
          - name: ACCESS-ACO-Support
            updaters: [{name: Ada Lovelace, username: alovelace}]
            default_assignee: aturing
        """,
    )
    result = load_config(["queues"])
    assert lines(result.errors) == [
        "queues/a.yaml:7:23: error: default assignee 'aturing' is not one of the updaters "
        "(alovelace) (awardee_queues[0].default_assignee)",
        "queues/b.yaml:3:11: error: queue name 'Delta' is already used by another queue at "
        "queues/a.yaml:3 as 'DELTA'; names ignore case (rp_queues[0].name)",
        "queues/b.yaml:4:5: error: unknown key 'agnets' (did you mean 'agents'?) "
        "(rp_queues[0].agnets)",
        "queues/b.yaml:7:31: error: 'not an email' is not a valid email address "
        "(rp_queues[0].agents[1].email)",
        "queues/b.yaml:8:10: error: Jane Doe is listed twice in 'agents' (same email as "
        "Jane Doe at line 6) (rp_queues[0].agents[2])",
    ]


def test_checks_work_on_a_config_built_in_code() -> None:
    """Other commands (export) can check a Config they built: positions are then optional."""
    config = Config(
        version=1,
        rp_queues=[RPQueue(name="Delta").at(Location("x.yaml", 3, 5))],
        awardee_queues=[
            AwardeeQueue(
                name="delta", updaters=[Updater(name="Ada", username="ada")], default_assignee="x"
            )
        ],
    )
    assert [str(d) for d in check_config(config)] == [
        "error: queue name 'delta' is already used by another queue at x.yaml:3 as 'Delta'; "
        "names ignore case",
        "error: default assignee 'x' is not one of the updaters (ada)",
    ]

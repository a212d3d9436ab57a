"""An export, loaded back and planned against the site it came from, changes nothing (or only
what its notes announce). Planned in memory: the Jira round trips are in test_cli_export.py."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accessq.config.naming import group_name
from accessq.config.text import nfc, problem
from accessq.export.write import export_files
from accessq.model.naming import MARKER, decode_description, jsm_queue_jql
from accessq.model.observed import (
    Account,
    Observed,
    ObservedComponent,
    ObservedGroup,
    ObservedJsmQueue,
)
from accessq.plan.simulate import simulate
from tests.export.helpers import (
    ADA,
    BCARTER,
    JDOE,
    NO_SURROGATES,
    OMAR,
    PNAIR,
    RAJ,
    RUNNER,
    TARGET,
    group,
    load_texts,
    managed,
    person,
    plan_of,
    small_site,
)
from tests.export.helpers import settings as jira


def _without(observed: Observed, *names: str) -> Observed:
    groups = tuple(g for g in observed.groups if g.name not in names)
    members = tuple(
        g.model_copy(update={"members": tuple(m for m in g.members if m.active)}) for g in groups
    )
    return observed.model_copy(update={"groups": members})


def test_a_clean_site_exports_to_a_plan_with_no_changes(tmp_path: Path) -> None:
    site = _without(small_site(), "ats-legacy-hpc-agents", "ats-retired-agents")
    for split in (False, True):
        files = export_files(site, jira(), adopt=False, split=split)
        plan = plan_of(load_texts(files, tmp_path / f"split-{split}"), site)
        assert plan.errors == []
        assert plan.changes == [], [c.id for c in plan.changes]


def test_what_cannot_be_exported_is_announced_and_is_all_a_plan_changes(tmp_path: Path) -> None:
    site = small_site()
    files = export_files(site, jira(), adopt=False, split=False)
    plan = plan_of(load_texts(files, tmp_path), site)
    assert plan.errors == []
    assert sorted(c.id for c in plan.changes) == [
        "delete_group:ats-legacy-hpc-agents",
        "delete_group:ats-retired-agents",
        f"remove_member:ats-bridges-2-agents:{BCARTER.key}",
    ]
    text = files["queues.yaml"]
    assert "Ben Carter [712020:bcarter] is deactivated in Jira and not exported" in text
    assert "a plan deletes them: ats-legacy-hpc-agents" in text


def test_groups_accessq_does_not_name_are_not_exported_and_a_plan_leaves_them(
    tmp_path: Path,
) -> None:
    # Hand-made: the slug would be Bridges-2's, the name is not one accessq writes.
    site = _without(small_site(), "ats-legacy-hpc-agents", "ats-retired-agents")
    look_alike = group("ats-bridges.2-watchers", OMAR)
    site = site.model_copy(
        update={"groups": (*site.groups, look_alike), "unowned_groups": (look_alike.name,)}
    )
    files = export_files(site, jira(), adopt=False, split=False)
    text = files["queues.yaml"]
    assert "Omar Haddad" not in text  # its members are nobody's watchers
    assert (
        "groups not named as accessq names its groups are not accessq's: not exported, and a "
        'plan leaves them alone: "ats-bridges.2-watchers"'
    ) in " ".join(line.lstrip("# ") for line in text.splitlines())
    plan = plan_of(load_texts(files, tmp_path), site)
    assert plan.errors == [] and plan.changes == []


def test_adopt_exports_look_alikes_and_the_plan_adopts_them_then_converges(
    tmp_path: Path,
) -> None:
    site = _without(small_site(), "ats-retired-agents")
    files = export_files(site, jira(), adopt=True, split=False)
    text = files["queues.yaml"]
    assert "  - name: Legacy-HPC\n    adopt: true\n    description: The old cluster\n" in text
    assert "General Support" in text and "not adopted" in text  # no groups: not a queue
    config = load_texts(files, tmp_path)
    plan = plan_of(config, site)
    assert plan.errors == []
    [adopt, create] = sorted(plan.changes, key=lambda c: c.action, reverse=True)
    assert (adopt.action, adopt.target_id) == ("update_component", "14")
    assert adopt.before == {"description": "The old cluster", "keywords": [], "managed": False}
    assert adopt.after == {"description": "The old cluster", "keywords": [], "managed": True}
    assert (create.action, create.target) == ("create_group", "ats-legacy-hpc-watchers")
    assert any("adopts the component" in note for note in plan.notes)

    after = simulate(site, plan)
    legacy = next(c for c in after.components if c.id == "14")
    assert legacy.description == f"The old cluster\n\n{MARKER}"
    assert plan_of(config, after).changes == []


def test_hidden_emails_and_foreign_emails_go_by_account_and_still_resolve(tmp_path: Path) -> None:
    site = _without(small_site(), "ats-legacy-hpc-agents", "ats-retired-agents")
    text = export_files(site, jira(), adopt=False, split=False)["queues.yaml"]
    assert '{name: Priya Nair, account_id: "712020:pnair"}' in text
    assert '{name: Raj Patel, account_id: "712020:raj"}' in text
    config = load_texts({"q.yaml": text}, tmp_path)
    assert plan_of(config, site).changes == []


def test_an_email_two_accounts_share_names_neither(tmp_path: Path) -> None:
    twin = person("712020:twin", "Jane Doe (test)", JDOE.email)
    site = Observed(
        target=TARGET,
        components=(managed("1", "Delta", "NCSA Delta"),),
        groups=(
            group("ats-delta-agents", JDOE, twin),
            group("ats-delta-watchers", JDOE, twin),
        ),
        runner=RUNNER,
    )
    text = export_files(site, jira(), adopt=False, split=False)["queues.yaml"]
    assert "email:" not in text
    assert plan_of(load_texts({"q.yaml": text}, tmp_path), site).changes == []


def test_a_lead_who_is_not_an_updater_and_a_keyword_claimed_twice_are_notes(
    tmp_path: Path,
) -> None:
    site = Observed(
        target=TARGET,
        components=(
            managed("1", "ACCESS-A-Support", "A", ("wiki",), lead=JDOE),
            managed("2", "ACCESS-B-Support", "B", ("Wiki", "ood"), lead=ADA),
        ),
        groups=(
            group("ats-access-a-support-updaters", ADA),
            group("ats-access-b-support-updaters", ADA),
        ),
        runner=RUNNER,
    )
    text = export_files(site, jira(), adopt=False, split=False)["queues.yaml"]
    assert "the component lead (Jane Doe [712020:jdoe]) is not one of the updaters" in text
    assert 'keyword "Wiki" is already claimed by queue "ACCESS-A-Support"' in text
    plan = plan_of(load_texts({"q.yaml": text}, tmp_path), site)
    assert plan.errors == []
    assert sorted((c.queue, *sorted(c.after)) for c in plan.changes) == [
        ("ACCESS-A-Support", "assignee_type"),
        ("ACCESS-B-Support", "description", "keywords"),
    ]


def test_an_alias_claimed_twice_is_exported_once_with_a_note(tmp_path: Path) -> None:
    # Hand-made in Jira: an alias twice, an alias that is another queue's keyword, an RP queue's
    # alias that is its own name. validate refuses each, so the export keeps the first only.
    site = Observed(
        target=TARGET,
        components=(
            ObservedComponent(
                id="1",
                name="ACCESS-A-Support",
                description="A\n\nAliases: JS2, Delta\nKeywords: wiki\nManaged by accessq.",
                lead=ADA,
                assignee_type="COMPONENT_LEAD",
            ),
            ObservedComponent(
                id="2",
                name="Jetstream-2",
                description='B\n\nAliases: ["js2", "Jetstream-2", "WIKI", "C, C++"]\n'
                "Managed by accessq.",
            ),
        ),
        groups=(
            group("ats-access-a-support-updaters", ADA),
            group("ats-jetstream-2-agents", JDOE),
            group("ats-jetstream-2-watchers", JDOE),
        ),
        runner=RUNNER,
    )
    text = export_files(site, jira(), adopt=False, split=False)["queues.yaml"]
    assert 'alias "js2" is already claimed by queue "ACCESS-A-Support"' in text
    assert 'alias "Jetstream-2" is already claimed by this queue' in text
    assert 'alias "WIKI" is already claimed by queue "ACCESS-A-Support"' in text
    config = load_texts({"q.yaml": text}, tmp_path)
    assert {q.name: q.aliases for q in config.queues} == {
        "ACCESS-A-Support": ["JS2", "Delta"],
        "Jetstream-2": ["C, C++"],
    }
    plan = plan_of(config, site)
    assert plan.errors == []
    assert [(c.queue, c.before["aliases"], c.after["aliases"]) for c in plan.changes] == [
        ("Jetstream-2", ["js2", "Jetstream-2", "WIKI", "C, C++"], ["C, C++"])
    ]


def test_an_empty_site_exports_a_valid_empty_configuration(tmp_path: Path) -> None:
    site = Observed(target=TARGET, runner=RUNNER)
    for split in (False, True):
        files = export_files(site, jira(), adopt=True, split=split)
        assert list(files) == (["settings.yaml"] if split else ["queues.yaml"])
        config = load_texts(files, tmp_path / f"split-{split}")
        assert config.queues == []
        assert plan_of(config, site).is_empty


# -- any clean site ------------------------------------------------------------------------------

POOL = [
    JDOE,
    PNAIR,
    ADA,
    RAJ,
    OMAR,
    *(person(f"k{i}", f"User {i}", f"u{i}@x.edu") for i in range(3)),
]
NAMES = ["Delta", "Anvil", "Bridges-2", "ACCESS-ACO-Support", "yes", "1e3", "Ümlaut: #1", "[a, b]"]
members = st.lists(st.sampled_from(POOL), unique_by=lambda a: a.key, max_size=4)
descriptions = st.one_of(
    st.sampled_from(["", "NCSA Delta", "Line one\n\n  line two", "yes", "Keywords: a", MARKER]),
    st.text(st.characters(blacklist_categories=NO_SURROGATES), max_size=30),
)
# What a queue file may hold (accessq.config.text): clean sites are made of these.
clean_descriptions = st.one_of(
    st.sampled_from(["", "NCSA Delta", "Line one\n\n  line two", "yes", "Keywords: a", MARKER]),
    st.text(
        st.characters(
            blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"), whitelist_characters="\n"
        ),
        max_size=30,
    )
    .map(nfc)
    .filter(lambda t: problem(t, one_line=False) is None),
)
keywords = st.lists(
    # Commas, brackets and quotes too: the Keywords line must hold any one-line keyword.
    st.sampled_from(["wiki", "ood", "a:b", "no", "#1", "x]", "C, C++", '["q"]', "[x", 'a "b"']),
    unique=True,
    max_size=3,
)


@st.composite
def sites(draw: st.DrawFn) -> Observed:
    components: list[ObservedComponent] = []
    groups: list[ObservedGroup] = []
    for index, name in enumerate(draw(st.lists(st.sampled_from(NAMES), unique=True))):
        awardee = draw(st.booleans())
        if awardee:
            updaters = draw(members)
            lead: Account | None = draw(st.sampled_from([None, *updaters]))
            words = tuple(k for k in draw(keywords) if k.casefold() not in _claimed(components))
            components.append(managed(str(index), name, draw(clean_descriptions), words, lead=lead))
            groups.append(group(group_name("ats-", name, "updaters"), *updaters))
        else:
            components.append(managed(str(index), name, draw(clean_descriptions)))
            agents = draw(members)
            watchers = draw(st.sampled_from([agents, draw(members)]))
            groups.append(group(group_name("ats-", name, "agents"), *agents))
            groups.append(group(group_name("ats-", name, "watchers"), *watchers))
    return Observed(
        target=TARGET, components=tuple(components), groups=tuple(groups), runner=RUNNER
    )


def _claimed(components: list[ObservedComponent]) -> set[str]:
    return {k.casefold() for c in components for k in decode_description(c.description).keywords}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(site=sites(), split=st.booleans())
def test_any_clean_site_round_trips(site: Observed, split: bool) -> None:
    files = export_files(site, jira(), adopt=False, split=split)
    with tempfile.TemporaryDirectory() as folder:
        plan = plan_of(load_texts(files, Path(folder)), site)
    assert plan.errors == []
    assert plan.changes == [], [c.id for c in plan.changes]


def test_with_jsm_queues_a_missing_view_is_a_note_and_the_plan_makes_it(tmp_path: Path) -> None:
    site = Observed(
        target=TARGET,
        components=(managed("1", "Delta", "NCSA Delta"), managed("2", "Anvil", "Purdue")),
        groups=(group("ats-delta-agents", JDOE), group("ats-anvil-agents", OMAR)),
        jsm_queues=(ObservedJsmQueue(id="5", name="Delta", jql=jsm_queue_jql("Delta")),),
        runner=RUNNER,
    )
    files = export_files(site, jira(jsm_queues=True), adopt=False, split=False)
    text = files["queues.yaml"]
    assert "  jsm_queues: true\n" in text
    assert text.count("its JSM queue view is missing or differs; a plan makes it") == 1
    plan = plan_of(load_texts(files, tmp_path), site)
    assert sorted(c.id for c in plan.changes if "watchers" not in c.id) == [
        "create_jsm_queue:Anvil"
    ]


def test_components_giving_the_same_groups_export_the_first_and_say_so(tmp_path: Path) -> None:
    site = Observed(
        target=TARGET,
        components=(managed("1", "delta-2", "B"), managed("2", "Delta 2", "A")),
        groups=(group("ats-delta-2-agents", JDOE),),
        runner=RUNNER,
    )
    text = export_files(site, jira(), adopt=False, split=False)["queues.yaml"]
    assert "  - name: Delta 2\n" in text and "name: delta-2" not in text
    flat = " ".join(text.replace("\n# ", " ").split())  # notes unwrapped
    assert (
        'note: component "delta-2" is not exported: another exported queue has the same name or '
        "groups (ats-delta-2-*); a plan deletes it" in flat
    )
    plan = plan_of(load_texts({"q.yaml": text}, tmp_path), site)
    assert [c.id for c in plan.changes if c.action.startswith("delete")] == [
        "delete_component:delta-2"
    ]


@settings(max_examples=40, deadline=None)
@given(description=st.one_of(descriptions, st.just("Text\r\nKeywords: a, b")), lead=st.booleans())
def test_any_adopted_component_converges_after_one_apply(description: str, lead: bool) -> None:
    assume(not decode_description(description).managed)  # that one is accessq's already
    site = Observed(
        target=TARGET,
        components=(
            ObservedComponent(
                id="1",
                name="Legacy",
                description=description,
                lead=ADA if lead else None,
                assignee_type="COMPONENT_LEAD" if lead else "PROJECT_DEFAULT",
            ),
        ),
        groups=(group("ats-legacy-updaters", ADA, RAJ),),
        runner=RUNNER,
    )
    files = export_files(site, jira(), adopt=True, split=False)
    with tempfile.TemporaryDirectory() as folder:
        config = load_texts(files, Path(folder))
    plan = plan_of(config, site)
    assert plan.errors == []
    assert [c.action for c in plan.changes] == ["update_component"]
    assert plan_of(config, simulate(site, plan)).changes == []


# -- text the queue language refuses --------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.replace("\n# ", " ").replace("\n  # ", " ").split())


def test_names_and_keywords_a_queue_file_refuses_are_notes_not_silent_drops(
    tmp_path: Path,
) -> None:
    site = Observed(
        target=TARGET,
        components=(
            managed("1", "Del\u200bta", "NCSA Delta"),
            managed("2", "Anvil\u2028GPU", "Purdue"),
            managed("3", "ACCESS-ACO-Support", "ACO", ("wiki\x85pages", "confluence"), lead=ADA),
        ),
        groups=(
            group("ats-del-ta-agents", JDOE),
            group("ats-anvil-gpu-agents", OMAR),
            group("ats-access-aco-support-updaters", ADA),
        ),
        runner=RUNNER,
    )
    text = export_files(site, jira(), adopt=False, split=False)["queues.yaml"]
    flat = _flat(text)
    assert (
        "component \"Del<U+200B>ta\" is not exported: 'Del<U+200B>ta' holds U+200B (ZERO WIDTH "
        "SPACE), an invisible character; remove it; a plan deletes it" in flat
    )
    assert (
        'component "Anvil<U+2028>GPU" is not exported: the name must be on one line: U+2028 (LINE '
        "SEPARATOR) is a line break; a plan deletes it" in flat
    )
    assert (
        'keyword "wiki<U+0085>pages" cannot be written (must be on one line: U+0085 (NEXT LINE) '
        "is a line break); it is left out, and a plan removes it from the component" in flat
    )
    assert "\u200b" not in text and "\u2028" not in text and "\x85" not in text
    plan = plan_of(load_texts({"q.yaml": text}, tmp_path), site)
    assert sorted(c.id for c in plan.changes) == [
        "delete_component:Anvil\u2028GPU",
        "delete_component:Del\u200bta",
        "delete_group:ats-anvil-gpu-agents",
        "delete_group:ats-del-ta-agents",
        "update_component:ACCESS-ACO-Support",
    ]


def test_a_name_in_another_unicode_form_is_exported_composed_and_renamed(tmp_path: Path) -> None:
    decomposed = "Cafe\u0301"
    site = Observed(
        target=TARGET,
        components=(managed("1", decomposed, "Caf\u00e9 cluster"),),
        groups=(group("ats-cafe-agents", JDOE), group("ats-cafe-watchers", JDOE)),
        runner=RUNNER,
    )
    text = export_files(site, jira(), adopt=False, split=False)["queues.yaml"]
    assert "  - name: Caf\u00e9\n" in text
    assert "a plan renames the component to it" in _flat(text)
    config = load_texts({"q.yaml": text}, tmp_path)
    plan = plan_of(config, site)
    # The same component, renamed to the composed form: never a second look-alike component.
    [rename] = plan.changes
    assert (rename.action, rename.target_id) == ("update_component", "1")
    assert plan_of(config, simulate(site, plan)).changes == []


def test_a_description_with_hidden_characters_is_exported_clean_and_said_so(
    tmp_path: Path,
) -> None:
    site = Observed(
        target=TARGET,
        components=(managed("1", "Delta", "NCSA\u00ad Delta\u2028CPU and GPU"),),
        groups=(group("ats-delta-agents", JDOE),),
        runner=RUNNER,
    )
    text = export_files(site, jira(), adopt=False, split=False)["queues.yaml"]
    assert "description: |-\n      NCSA Delta\n      CPU and GPU\n" in text
    assert "without hidden characters" in _flat(text)
    config = load_texts({"q.yaml": text}, tmp_path)
    plan = plan_of(config, site)
    assert [c.id for c in plan.changes if c.action == "update_component"] == [
        "update_component:Delta"
    ]
    assert plan_of(config, simulate(site, plan)).changes == []

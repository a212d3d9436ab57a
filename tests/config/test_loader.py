"""Files and folders in, one located Config out; the contract other commands build on."""

from __future__ import annotations

from pathlib import Path

import pytest

from accessq.config.loader import ConfigError, load_config, load_config_or_raise
from tests.config.helpers import Write, lines
from tests.people import demo_seed

EXAMPLE = Path(__file__).parents[2] / "examples" / "queues.yaml"


def test_folder_merges_its_yaml_files_in_name_order(write: Write) -> None:
    write("queues/b-delta.yml", "version: 1\nrp_queues:\n  - name: Delta\n    agents: []\n")
    write(
        "queues/a-settings.yaml",
        "version: 1\njira: {project: ATS, group_prefix: acc-}\nsafety: {min_agents: 0}\n",
    )
    write("queues/c-aco.yaml", "version: 1\nawardee_queues:\n  - name: ACCESS-ACO-Support\n")
    write("queues/README.md", "not read")
    write("queues/.draft.yaml", "not: [valid")
    write("queues/old/ignored.yaml", "not: [valid")
    result = load_config(["queues"])
    assert result.ok, lines(result.errors)
    assert result.files == [
        Path("queues/a-settings.yaml"),
        Path("queues/b-delta.yml"),
        Path("queues/c-aco.yaml"),
    ]
    config = result.config
    assert config is not None
    assert config.jira.group_prefix == "acc-"
    assert config.safety.min_agents == 0
    assert [q.name for q in config.queues] == ["Delta", "ACCESS-ACO-Support"]
    assert [str(q.location) for q in config.queues] == [
        "queues/b-delta.yml:3:5",
        "queues/c-aco.yaml:3:5",
    ]


def test_several_paths_merge_and_a_file_given_twice_is_read_once(write: Write) -> None:
    write("queues/delta.yaml", "version: 1\nrp_queues:\n  - name: Delta\n    agents: []\n")
    write("aco.yaml", "version: 1\nawardee_queues:\n  - name: ACCESS-ACO-Support\n")
    result = load_config(["queues", "aco.yaml", "queues/delta.yaml"])
    assert result.config is not None
    assert [q.name for q in result.config.queues] == ["Delta", "ACCESS-ACO-Support"]
    assert "warning: queues/delta.yaml: given more than once; read once" in lines(result.warnings)


def test_every_queue_and_person_is_located(write: Write) -> None:
    write(
        "q.yaml",
        """\
        version: 1
        rp_queues:
          - name: Bridges-2
            agents:
              - {name: Li Wei, email: lwei@psc.example.edu}
              - name: Sam Okafor
                email: sokafor@psc.example.edu
            watchers:
              - {name: Li Wei, email: lwei@psc.example.edu}
        awardee_queues:
          - description: first key is not the name
            name: ACCESS-ACO-Support
            updaters: [{name: Ada Lovelace, username: alovelace}]
        """,
    )
    config = load_config_or_raise(["q.yaml"])
    bridges, aco = config.rp_queues[0], config.awardee_queues[0]
    assert bridges.watchers is not None
    located = [bridges, *bridges.agents, *bridges.watchers, aco, *aco.updaters]
    assert [str(x.location) for x in located] == [
        "q.yaml:3:5",
        "q.yaml:5:10",
        "q.yaml:6:9",
        "q.yaml:9:10",
        "q.yaml:11:5",
        "q.yaml:13:17",
    ]
    assert [x.location.short for x in located if x.location][:1] == ["q.yaml:3"]


def test_paths_are_shown_as_given(write: Write, tmp_path: Path) -> None:
    write("sub/q.yaml", "version: 2\n")
    relative = load_config(["sub/q.yaml"])
    absolute = load_config([tmp_path / "sub" / "q.yaml"])
    assert lines(relative.errors) == ["sub/q.yaml:1:10: error: 'version' must be 1 (version)"]
    assert lines(absolute.errors) == [
        f"{tmp_path}/sub/q.yaml:1:10: error: 'version' must be 1 (version)"
    ]


def test_each_file_needs_its_version(write: Write) -> None:
    write("queues/a.yaml", "version: 1\n")
    write("queues/b.yaml", "rp_queues: []\n")
    assert lines(load_config(["queues"]).errors) == [
        "queues/b.yaml:1:1: error: missing required key 'version' (write 'version: 1') (version)"
    ]


def test_bad_files_do_not_stop_the_others_being_checked(write: Write) -> None:
    write("queues/a.yaml", "version: 1\nrp_queues: [\n")
    write("queues/b.yaml", "version: 1\nrp_queues:\n  - name: Delta\n    agnets: []\n")
    errors = lines(load_config(["queues", "missing.yaml"]).errors)
    assert errors[0] == "error: missing.yaml: no such file or folder"
    assert errors[1].startswith("queues/a.yaml:3:1: error: invalid YAML: ")
    assert errors[2].startswith("queues/b.yaml:4:5: error: unknown key 'agnets'")
    assert len(errors) == 3


def test_load_config_or_raise_carries_the_result(write: Write) -> None:
    write("q.yaml", "version: 1\nrp_queues:\n  - name: Delta\n    agnets: []\n")
    with pytest.raises(ConfigError) as caught:
        load_config_or_raise(["q.yaml"])
    assert not caught.value.result.ok
    assert str(caught.value) == (
        "q.yaml:4:5: error: unknown key 'agnets' (did you mean 'agents'?) (rp_queues[0].agnets)"
    )


def test_the_example_is_valid_and_uses_only_the_demo_directory() -> None:

    result = load_config([EXAMPLE])
    assert result.ok, lines(result.errors)
    assert result.warnings == []
    config = result.config
    assert config is not None
    assert len(config.rp_queues) >= 5 and len(config.awardee_queues) >= 4
    assert config.jira.url is None  # absent: the local sandbox
    seed = demo_seed()
    usable = {
        u["email"]: u
        for u in seed["users"]
        if u.get("active", True) and u["username"] not in ("accessq-bot", "viewer")
    }
    by_id = {u["account_id"]: u for u in usable.values()}
    for rp in config.rp_queues:
        for contact in [*rp.agents, *rp.effective_watchers]:
            person = by_id[contact.account_id] if contact.account_id else usable[contact.email]
            assert person["name"] == contact.name
    for aw in config.awardee_queues:
        for updater in aw.updaters:
            email = config.jira.username_email.format(username=updater.username)
            assert usable[email]["name"] == updater.name

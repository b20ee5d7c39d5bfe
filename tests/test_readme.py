"""The README's set-up commands stay true: CI runs the second one unchanged."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_has_exactly_two_setup_commands() -> None:
    commands = _setup_commands()
    assert len(commands) == 2
    assert commands[0].startswith("pip install . && syncml-decode ")
    assert "pytest" in commands[1]


def test_the_example_it_decodes_ships_in_the_repo() -> None:
    path = _setup_commands()[0].split("syncml-decode ", 1)[1]
    assert (ROOT / path).is_file()


def test_ci_runs_the_test_command_unchanged() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert _setup_commands()[1] in ci


def test_links_point_into_the_repository() -> None:
    readme = (ROOT / "README.md").read_text()
    targets = [target for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme) if "://" not in target]
    assert any(target.startswith("docs/") for target in targets)
    for target in targets:
        assert (ROOT / target).is_file(), target


def test_ci_builds_the_docs_as_the_readme_says() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Documentation", 1)[1].split("\n## ", 1)[0]
    (command,) = re.findall(r"```sh\n(.+?)\n```", section)
    install, build = command.split(" && ")
    ci = (ROOT / ".ci" / "run").read_text()
    assert install in ci
    assert re.search(rf"^(?:\w+=\S+ )*{re.escape(build)} ", ci, re.MULTILINE)


def test_the_tests_it_names_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## What the tests need from outside", 1)[1]
    named = re.findall(r"`(test_\w+\.py)`", section)
    assert named
    for name in named:
        assert (ROOT / "tests" / name).is_file(), name

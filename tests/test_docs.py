"""The README documents every command, and its quick start is what CI runs."""

from __future__ import annotations

import click
import pytest

from consult.cli import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "consult") -> list[str]:
    found = []
    for name, command in group.commands.items():
        found.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            found.extend(commands(command, f"{prefix} {name}"))
    return found


@pytest.mark.parametrize("command", commands(cli))
def test_every_command_is_in_the_readme(command):
    assert command in README


def test_ci_runs_the_readme_test_command():
    assert "$ make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()

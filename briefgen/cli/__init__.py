"""The command line: parse options, call the library, print what happened.

This is the only package that imports click, prints or exits; each group of
commands is a module of it. Exit status: 0 done (warnings allowed), 1 the
project has problems, 2 the command was used wrongly, 70 briefgen itself
failed (a bug to report).
"""

from __future__ import annotations

import click

from .. import __version__
from .authoring import init, lsp, new, schema, unpack
from .builds import build, diff, issue, validate
from .preview import serve
from .sharing import verify


@click.group(name="briefgen", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """Turn a project of YAML fact sheets into checked briefings (HTML and PDF).

    A project is a folder with briefgen.yaml (sections and briefings) and
    facts/ (fact sheets). Run `briefgen validate` while you edit and
    `briefgen build` to write output/<briefing-id>.html and .pdf.
    """


for command in (validate, build, issue, diff, init, new, unpack, verify, schema, serve, lsp):
    main.add_command(command)

__all__ = ["main"]

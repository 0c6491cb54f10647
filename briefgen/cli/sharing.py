"""Commands about what leaves the desk: the signing key `build --sign` opens, and
`verify`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .exits import EXIT_PROBLEMS, WrongUse, guard
from .report import say

if TYPE_CHECKING:
    from ..signing import SigningKey


def signing_key(path: Path) -> SigningKey:
    """The key build --sign signs with, opened with the password from the environment
    or the terminal; a key that cannot sign stops the command before anything renders."""
    from ..signing import PASSWORD_VARIABLE, SigningError, load_signing_key

    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        if not sys.stdin.isatty():
            raise WrongUse(
                f"--sign needs the password of {path.name}: set {PASSWORD_VARIABLE}, "
                "or run briefgen on a terminal to be asked"
            )
        password = click.prompt(f"password of {path.name}", hide_input=True, default="")
    try:
        return load_signing_key(path, password)
    except SigningError as error:
        say(f"briefgen: cannot sign: {error}; nothing was written", err=True)
        sys.exit(EXIT_PROBLEMS)


@click.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Match the file with this project's edition records "
    "[default: the current folder, if it holds briefgen.yaml]",
)
@click.option(
    "--trust",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    metavar="CERT.pem",
    help="Check that the signer's certificate chains to this root; repeat for more.",
)
@guard
def verify(pdf: Path, project: Path | None, trust: tuple[Path, ...]) -> None:
    """Say whether a briefing's PDF is intact, which edition it is, who signed it.

    Checks that its attached files give the inputs digest it names and its
    pages print; in a project, that an edition record in editions/ holds
    this very file; if it is signed, who signed it and when, and that the
    signature is valid and covers the whole file. One line per finding;
    exits 0 when every check that applies holds, 1 otherwise.
    """
    from ..verify import project_here, verify_pdf

    root = project.resolve() if project is not None else project_here(Path.cwd())
    findings = verify_pdf(pdf, root, trust)
    for finding in findings:
        say(str(finding))
    if any(finding.verdict == "FAILED" for finding in findings):
        sys.exit(EXIT_PROBLEMS)

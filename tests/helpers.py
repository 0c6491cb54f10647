"""Helpers the tests share: build projects from text, run the CLI, drive long-running
commands. Fixtures live in conftest.py; tests import these with `from helpers import ...`."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from projects import briefing, config, sheet, write_tree

from briefgen.cli import main

REPO = Path(__file__).resolve().parent.parent

# The smallest valid project: two sections, one briefing, one fact (facts/main.yaml).
MINIMAL_CONFIG = config()
MINIMAL_SHEET = sheet()
# Its briefgen.yaml with the briefing built as HTML only (no wait for WeasyPrint); the
# briefing's keys run from line 10, so a key added after them lands on line 11.
HTML_CONFIG = config(briefings=[briefing(formats=["html"])])


def minimal_project(root: Path, **overrides: str | bytes) -> Path:
    """A small valid project; keyword names are paths with '/' written as '__'."""
    files: dict[str, str | bytes] = {
        "briefgen.yaml": MINIMAL_CONFIG,
        "facts/main.yaml": MINIMAL_SHEET,
    }
    files.update({name.replace("__", "/"): text for name, text in overrides.items()})
    return write_tree(root, files)


def run(*args: str | Path) -> Result:
    """Run the briefgen CLI in-process, as a user would type it."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def copy_example(target: Path) -> Path:
    """Copy the repository's example project (briefgen.yaml and facts/) to `target`."""
    target.mkdir(parents=True)
    shutil.copy(REPO / "briefgen.yaml", target / "briefgen.yaml")
    shutil.copytree(REPO / "facts", target / "facts")
    return target


def edit(text: str, old: str, new: str) -> str:
    """`text` with its one occurrence of `old` replaced, failing loudly if it is absent."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def problems_in(root: Path) -> list[str]:
    """Every error `briefgen validate` would print for the project at `root`.

    Analytic warnings are left out: they are tested on their own, and a broken
    fact often also leaves a source uncited.
    """
    from briefgen.build import validate

    return [str(p) for p in validate(root)[1] if p.severity == "error"]


# Debian's Chromium, started the way this closed network needs: headless, and no
# background connections (they would be refused, many at a time).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright, closed after use (a module's `browser`)."""
    path = require_tool("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def require_tool(name: str, debian_package: str) -> str:
    """The path of a program the tests drive; fail (never skip) when it is missing."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: the tests need the Debian package {debian_package} "
            "(run scripts/system-deps, as CI does)",
            pytrace=False,
        )
    return path


# -- long-running commands (build --watch, serve) ------------------------------------------


@contextlib.contextmanager
def _sigint_reaches_children(wanted: bool) -> Iterator[None]:
    """While it is open, children start with SIGINT at its default, as from a terminal.

    An ignored signal stays ignored across exec, so a pytest started with SIGINT
    ignored would start every command deaf to Ctrl-C. A handled signal is reset
    to the default by exec: handle it (by doing nothing) while starting children.
    """
    main = threading.current_thread() is threading.main_thread()
    if not wanted or not main or signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        yield
        return
    previous = signal.signal(signal.SIGINT, lambda _signum, _frame: None)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


DEADLINE = 20.0  # seconds a behaviour may take on a busy machine; not a speed requirement


class LiveCommand:
    """`python -m briefgen ARGS` running in the background, its output read line by line.

    It starts as a command typed at a terminal does, with Ctrl-C (SIGINT) reaching
    it, even when pytest itself was started with SIGINT ignored (by a script, in the
    background). With `sigint_ignored` it starts as a script's background job does.
    """

    def __init__(
        self, *args: str | Path, cwd: Path | None = None, sigint_ignored: bool = False
    ) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        env.pop("NO_COLOR", None)
        command = [sys.executable, "-m", "briefgen", *map(str, args)]
        if sigint_ignored:
            # What `briefgen ... &` in a shell script does; exec keeps the ignored signal.
            command = ["bash", "-c", 'trap "" INT; exec "$@"', "bash", *command]
        with _sigint_reaches_children(not sigint_ignored):
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout:
            for line in self.process.stdout:
                self.lines.put(line.rstrip("\n"))

    def expect(self, line: str | re.Pattern[str], timeout: float = DEADLINE) -> str:
        """Wait for an output line equal to `line`, or matching it in full if a regex."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                got = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.seen.append(got)
            if got == line or (isinstance(line, re.Pattern) and line.fullmatch(got)):
                return got
        raise AssertionError(f"no line {line!r} in {timeout} s; output: {self.seen}")

    def interrupt(self) -> int:
        """Stop it as Ctrl-C would; its exit status."""
        return self.stop(signal.SIGINT)

    def stop(self, signum: int) -> int:
        """Send it `signum` and wait for it to end; its exit status."""
        self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=DEADLINE)
        finally:
            self.kill()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.reader.join(DEADLINE)  # it closes the pipe at the end of the output


def wait_for(condition: Callable[[], object], what: str, timeout: float = DEADLINE) -> None:
    """Poll `condition` until it is true, failing with `what` after the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@dataclass(frozen=True)
class SigningFiles:
    """A PKCS#12 signing key and the root certificate it chains to, made for one test."""

    p12: Path
    root: Path  # the root certificate, PEM
    password: str = "desk password"


def make_signing_key(
    folder: Path,
    *,
    usage: tuple[str, ...] = ("digital_signature", "content_commitment"),
    days: tuple[int, int] = (-1, 30),
    name: str = "Desk Signer",
) -> SigningFiles:
    """A test root and a certificate it issues (EC P-256), with key usage `usage` and
    valid from `days[0]` to `days[1]` days from now, as `folder`/key.p12 and root.pem.
    Made in the test: no private key is ever committed."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    flags = (
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    )

    def certificate(
        subject: str,
        key: ec.EllipticCurvePrivateKey,
        issuer: str,
        signer: ec.EllipticCurvePrivateKey,
        allowed: tuple[str, ...],
        span: tuple[int, int],
        ca: bool,
    ) -> x509.Certificate:
        return (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now + dt.timedelta(days=span[0]))
            .not_valid_after(now + dt.timedelta(days=span[1]))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(**{f: f in allowed for f in flags}), critical=True)
            .sign(signer, hashes.SHA256())
        )

    root_key = ec.generate_private_key(ec.SECP256R1())
    root = certificate(
        "Test Root", root_key, "Test Root", root_key, ("key_cert_sign", "crl_sign"), (-2, 60), True
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = certificate(name, key, "Test Root", root_key, usage, days, False)
    made = SigningFiles(folder / "key.p12", folder / "root.pem")
    folder.mkdir(parents=True, exist_ok=True)
    made.p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"desk",
            key,
            cert,
            [root],
            serialization.BestAvailableEncryption(made.password.encode()),
        )
    )
    made.root.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    return made

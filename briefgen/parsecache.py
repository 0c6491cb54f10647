"""The parse cache: a file whose bytes have not changed is not parsed again.

Reading YAML is most of the time of loading a large project (0.8 s of 1.0 s
at 10,000 facts), and an analyst who saves one sheet changes one file of a
hundred. So `.briefgen-cache/parse/` keeps, for each file that parsed without
a problem, the plain data its parse gave, as JSON, under a key of the file's
bytes (SHA-256) and of everything that changes what those bytes mean:
briefgen's version, the format version, and the source of the loader itself
(so a code change during development is never served an old parse).

What is kept is data only (text, true/false, null, lists and mappings with
text keys), read back with `json`; nothing in the cache can run code. The
positions of values are worked out from the file's text when something asks
for one, exactly as for a file just parsed. Validation (the models) and the
checks that span files run every time: rebuilding a model from a safe format
costs as much as validating it (measured: 0.25-0.33 s against 0.23 s for
10,000 facts), and a check that spans files cannot be cached by file.

An entry cannot say more than its sheet does: each is signed with an HMAC
under a key that lives outside every project (`machine_key`), made on first
use, readable by its owner only. An entry planted in a project (a shared
folder, a repository that commits its cache) does not verify, so it is
ignored and the sheet parsed; only entries this account wrote are believed.

Every failure here costs time, never correctness: an entry that cannot be
read, does not decode, or has another key is parsed again and rewritten; a
cache that cannot be written (a read-only project) is not written. Entries are
written whole (output.write_atomic: a temporary file renamed over the old
one), so two builds at once each see an old entry or a new one, and the last
writer wins.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from . import __version__, yamlfile
from .output import TEMP_SUFFIX, write_atomic
from .paths import inside
from .yamlfile import Positions, YamlFile, load_yaml

CACHE_DIR = ".briefgen-cache"
PARSE_DIR = "parse"
FORMAT_VERSION = "1.1"  # FORMAT.md's version: a new one may read the same bytes differently
_ENTRY_VERSION = 2  # 2: signed (a MAC line before the JSON)
_SUFFIX = ".json"
KEY_DIR_VARIABLE = "BRIEFGEN_CACHE_KEY_DIR"  # where the key is, instead of the user's cache
_KEY_NAME = "key"
_KEY_BYTES = 32


@functools.cache
def cache_key() -> str:
    """The part of every entry's key that is not the file's bytes: what briefgen and
    which loader read them."""
    digest = hashlib.sha256()
    fixed = (
        f"entry {_ENTRY_VERSION}\0briefgen {__version__}\0format {FORMAT_VERSION}\0"
        f"python {sys.version_info.major}.{sys.version_info.minor}\0"
        f"pyyaml {yaml.__version__}\0"
    )
    digest.update(fixed.encode())
    for module in (yamlfile, sys.modules[__name__]):
        try:
            digest.update(Path(str(module.__file__)).read_bytes())
        except (OSError, TypeError):  # no source beside the bytecode: the version must do
            digest.update(b"no source")
    return digest.hexdigest()


def key_folder() -> Path:
    """Where the key that signs cache entries lives: $BRIEFGEN_CACHE_KEY_DIR, else
    briefgen/ in the user's cache ($XDG_CACHE_HOME, or ~/.cache). Never a project."""
    if chosen := os.environ.get(KEY_DIR_VARIABLE):
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefgen"


@functools.cache
def machine_key(folder: Path) -> bytes | None:
    """The key in `folder`, made (0600, in a 0700 folder) if there is none; None when it
    cannot be made or read, or another account could have written it: then no entry
    is trusted and every sheet is parsed."""
    path = folder / _KEY_NAME
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            temp = folder / f".{_KEY_NAME}.{secrets.token_hex(8)}{TEMP_SUFFIX}"
            with os.fdopen(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
                out.write(secrets.token_bytes(_KEY_BYTES))
            try:
                os.link(temp, path)  # never over a key another process just made
            except FileExistsError:
                pass
            finally:
                os.unlink(temp)
            fd = os.open(path, flags)
        except OSError:
            return None
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            status = os.fstat(handle.fileno())
            key = handle.read(_KEY_BYTES + 1)
    except OSError:
        return None
    getuid = getattr(os, "getuid", None)
    if (getuid and status.st_uid != getuid()) or status.st_mode & 0o077 or len(key) != _KEY_BYTES:
        return None
    return key


def _mac(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).hexdigest().encode()


class ParseCache:
    """The parse cache of the project at `root`, for one load."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_DIR / PARSE_DIR
        self._pending: dict[str, bytes] = {}
        self._used: set[str] = set()
        self.hits = 0
        # A cache folder that leads out of the project is neither read nor written:
        # briefgen touches no file outside the project.
        try:
            top = root / CACHE_DIR
            self.enabled = not top.exists() or inside(top, root)
        except OSError:
            self.enabled = False
        self._key = machine_key(key_folder()) if self.enabled else None
        self.enabled = self._key is not None

    def load_yaml(self, raw: bytes, path: str) -> YamlFile:
        """`yamlfile.load_yaml(raw, path)`, from the cache when these bytes were parsed
        before."""
        if not self.enabled:
            return load_yaml(raw, path)
        name = hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()[:32] + _SUFFIX
        self._used.add(name)
        digest = hashlib.sha256(raw).hexdigest()
        found = self._read(name, path, digest)
        if found is not None:
            # These bytes decoded and parsed clean before (the entry is ours), so they
            # decode now; were they not, the parse below says where.
            with contextlib.suppress(UnicodeDecodeError):
                text = raw.decode("utf-8").removeprefix("\ufeff")
                self.hits += 1
                return YamlFile(path, data=found, positions=Positions(text), raw=raw)
        file = load_yaml(raw, path)
        if not file.problems:
            # Only files that parsed clean: a problem is reported from the parse itself,
            # and a file with one is usually about to be edited again.
            entry = {"key": cache_key(), "path": path, "sha256": digest, "data": file.data}
            body = json.dumps(entry, separators=(",", ":")).encode()
            assert self._key is not None  # enabled
            self._pending[name] = _mac(self._key, body) + b"\n" + body
        return file

    def _read(self, name: str, path: str, digest: str) -> Any:
        """The data in the entry `name`, if it holds the parse of these bytes; else None
        (a file whose data is None, an empty one, is simply parsed again)."""
        try:
            # O_NOFOLLOW: an entry planted as a link is not followed out of the project.
            fd = os.open(self.folder / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as handle:
                mac, _, body = handle.read().partition(b"\n")
            # Not signed with this machine's key: planted, or another account's; never
            # even decoded.
            if self._key is None or not hmac.compare_digest(mac, _mac(self._key, body)):
                return None
            entry = json.loads(body)
        except (OSError, ValueError, RecursionError):
            return None  # half a file from a crash, or not ours: parse again
        if (
            not isinstance(entry, dict)
            or entry.get("key") != cache_key()
            or entry.get("path") != path
            or entry.get("sha256") != digest
        ):
            return None
        return entry.get("data")

    def save(self) -> None:
        """Write the entries this load parsed afresh, and drop those of files that are
        gone. Never raises: a cache that cannot be written is only slower."""
        if not self.enabled or not self._pending:
            return
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            top = self.folder.parent
            if not (top / ".gitignore").exists():
                # Ignored by git even in a project whose own .gitignore predates the cache.
                write_atomic(top / ".gitignore", b"# briefgen's parse cache; safe to delete\n*\n")
            for name, data in self._pending.items():
                write_atomic(self.folder / name, data)
            now = time.time()
            for entry in os.scandir(self.folder):
                gone = entry.name.endswith(_SUFFIX) and entry.name not in self._used
                # A temporary file an hour old is a killed writer's, not a running one's.
                left = entry.name.endswith(TEMP_SUFFIX) and now - entry.stat().st_mtime > 3600
                if gone or left:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
        self._pending.clear()

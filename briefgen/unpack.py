"""Unpacking: a briefing's PDF -> the project files it was made from, checked.

Every PDF briefgen writes carries briefgen.yaml and the fact sheets its
briefing draws on (and the record of the earlier edition it shows its changes
since), attached under their paths in the project (`facts/2024/new.yaml`),
and names the inputs digest they hash to. `unpack`
writes them back into a folder, after checking that they hash to that digest
(with the theme of this briefgen) and that every name stays inside the folder,
so `briefgen build` there gives the same PDF back, byte for byte. Nothing is
written unless everything checks out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .build import GENERATOR
from .inputs import InputFile, inputs_hash, theme_files
from .load import CONFIG_NAME, FACTS_DIR, SHEET_SUFFIXES
from .output import write_atomic
from .paths import inside
from .records import EDITIONS_DIR
from .theme import template_dirs
from .yamlfile import load_yaml

# The attachment descriptions briefgen writes end so (formats/page.py).
_DIGEST = re.compile(r"\(inputs ([0-9a-f]{12})\)$")


class UnpackError(Exception):
    """The PDF cannot be unpacked; the message says why. Nothing was written."""


@dataclass(frozen=True)
class Unpacked:
    briefing_id: str  # the briefing whose digest the files match
    digest: str
    written: list[Path]


def unpack_pdf(pdf: Path, target: Path) -> Unpacked:
    """Write the project files attached to `pdf` into `target`, checked against the
    digest the PDF names. Raises UnpackError (and writes nothing) when the PDF has
    no briefgen attachments, a name would leave `target` or is not a project file,
    a file is already there, or the files do not hash to the digest."""
    files, digest = _attachments(pdf)
    names = sorted(files)
    for name in names:
        _check_name(name)
    target = target.absolute()
    for name in names:
        path = target / name
        if path.is_symlink() or not inside(path, target):
            raise UnpackError(f"'{name}' would be written outside {target} (through a link)")
        if path.exists():
            raise UnpackError(
                f"{target} already has {name}; nothing was written (choose an empty folder)"
            )
    briefing_id = _matching_briefing(files, digest, target)
    written = []
    for name in names:
        write_atomic(target / name, files[name])
        written.append(target / name)
    return Unpacked(briefing_id, digest, written)


def _attachments(pdf: Path) -> tuple[dict[str, bytes], str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(pdf)
        root: Any = reader.trailer["/Root"]
        tree = root.get("/Names", {}).get("/EmbeddedFiles", {})
        entries = tree.get("/Names", []) if tree else []
        files: dict[str, bytes] = {}
        digests: set[str] = set()
        for index in range(0, len(entries) - 1, 2):
            spec = entries[index + 1].get_object()
            name = str(spec.get("/UF") or spec.get("/F") or entries[index])
            match = _DIGEST.search(str(spec.get("/Desc", "")))
            if match is None:
                continue  # not one of briefgen's inputs
            digests.add(match[1])
            if name in files:
                raise UnpackError(f"{pdf.name} attaches '{name}' twice")
            files[name] = spec["/EF"]["/F"].get_object().get_data()
    except (PdfReadError, OSError, KeyError, TypeError, ValueError) as error:
        raise UnpackError(f"cannot read {pdf.name} as a PDF: {error}") from error
    if not files:
        raise UnpackError(f"{pdf.name} carries no briefgen inputs: it was not made by briefgen")
    if len(digests) != 1:
        raise UnpackError(f"{pdf.name}'s attachments name {len(digests)} different digests")
    if CONFIG_NAME not in files:
        raise UnpackError(f"{pdf.name} carries no {CONFIG_NAME}")
    return files, digests.pop()


def _check_name(name: str) -> None:
    """A name is briefgen.yaml or a sheet under facts/, relative, with no way out."""
    parts = PurePosixPath(name).parts
    bad = (
        not name
        or name.startswith(("/", "\\"))
        or "\\" in name
        or re.match(r"^[A-Za-z]:", name) is not None
        or any(part in ("", ".", "..") for part in name.split("/"))
        or "\x00" in name
    )
    if bad:
        raise UnpackError(f"refused '{name}': an attachment's name must stay inside the folder")
    suffix = PurePosixPath(name).suffix
    sheet = parts[0] == FACTS_DIR and len(parts) > 1 and suffix in SHEET_SUFFIXES
    # The record of the earlier edition a briefing shows its changes since (editions.py).
    record = parts[0] == EDITIONS_DIR and len(parts) == 3 and suffix == ".json"
    if name != CONFIG_NAME and not sheet and not record:
        raise UnpackError(
            f"refused '{name}': briefgen attaches only {CONFIG_NAME}, sheets under "
            f"{FACTS_DIR}/ and an earlier edition's record under {EDITIONS_DIR}/"
        )


def _matching_briefing(files: dict[str, bytes], digest: str, target: Path) -> str:
    """The briefing of briefgen.yaml whose inputs digest the files give, with the
    theme this briefgen ships (and the folder's own templates/, if it has one)."""
    config = load_yaml(files[CONFIG_NAME], CONFIG_NAME).data
    briefings = config.get("briefings") if isinstance(config, dict) else None
    ids = [b.get("id") for b in briefings or [] if isinstance(b, dict)]
    # In the order build.make_edition hashes them: briefgen.yaml, the sheets, the record.
    sheets = sorted(name for name in files if name.startswith(f"{FACTS_DIR}/"))
    records = sorted(name for name in files if name.startswith(f"{EDITIONS_DIR}/"))
    inputs = [InputFile(name, files[name]) for name in [CONFIG_NAME, *sheets, *records]]
    theme = theme_files(template_dirs(target))
    for briefing_id in ids:
        if (
            isinstance(briefing_id, str)
            and inputs_hash(GENERATOR, briefing_id, inputs, theme)[:12] == digest
        ):
            return briefing_id
    raise UnpackError(
        f"the attached files do not give the inputs digest the PDF names ({digest}): they "
        f"were changed after it was made, or it was made by another version than "
        f"{GENERATOR} or with templates of its own; nothing was written"
    )

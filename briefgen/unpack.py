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
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .edition import GENERATOR
from .inputs import InputFile, inputs_hash, theme_files
from .load import CONFIG_NAME, FACTS_DIR, SHEET_SUFFIXES
from .output import write_atomic
from .paths import inside
from .records import EDITIONS_DIR
from .theme import THEME_DIR, template_dirs
from .yamlfile import load_yaml

# The attachment descriptions briefgen writes end so (formats/page.py).
_DIGEST = re.compile(r"\(inputs ([0-9a-f]{12})\)$")

# The largest attachment read back. A sheet is kilobytes; a stream that inflates
# past this is refused before it is inflated further (a zip bomb fits in kilobytes).
MAX_ATTACHMENT = 64 * 1024 * 1024
_MIB = MAX_ATTACHMENT >> 20


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
    files, digest = read_inputs(pdf)
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
    briefing_id = matching_briefing(files, digest, target)
    if briefing_id is None:
        raise UnpackError(
            f"the attached files do not give the inputs digest the PDF names ({digest}): they "
            f"were changed after it was made, or it was made by another version than "
            f"{GENERATOR} or with templates of its own; nothing was written"
        )
    written = []
    for name in names:
        write_atomic(target / name, files[name])
        written.append(target / name)
    return Unpacked(briefing_id, digest, written)


def read_inputs(pdf: Path) -> tuple[dict[str, bytes], str]:
    """The project files attached to `pdf` by name, and the digest their descriptions
    name. Raises UnpackError when it is not a PDF, carries no briefgen inputs, or an
    attachment is larger than MAX_ATTACHMENT."""
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
            files[name] = _inflated(spec["/EF"]["/F"].get_object(), name, pdf)
    except (PdfReadError, OSError, KeyError, TypeError, ValueError, zlib.error) as error:
        raise UnpackError(f"cannot read {pdf.name} as a PDF: {error}") from error
    if not files:
        raise UnpackError(f"{pdf.name} carries no briefgen inputs: it was not made by briefgen")
    if len(digests) != 1:
        raise UnpackError(f"{pdf.name}'s attachments name {len(digests)} different digests")
    if CONFIG_NAME not in files:
        raise UnpackError(f"{pdf.name} carries no {CONFIG_NAME}")
    return files, digests.pop()


def _inflated(stream: Any, name: str, pdf: Path) -> bytes:
    """An attachment's bytes, inflated at most to MAX_ATTACHMENT: briefgen's attachments
    are Flate streams (WeasyPrint's) or plain ones, never anything else."""
    raw = bytes(stream._data)  # pypdf keeps the stream's encoded bytes here
    filters = stream.get("/Filter")
    filters = [filters] if isinstance(filters, str) else list(filters or [])
    if filters == ["/FlateDecode"] and not stream.get("/DecodeParms"):
        inflater = zlib.decompressobj()
        data = inflater.decompress(raw, MAX_ATTACHMENT + 1)
        if len(data) > MAX_ATTACHMENT:
            raise UnpackError(f"{pdf.name} attaches '{name}', over {_MIB} MiB: refused")
        return data
    if filters:
        raise UnpackError(
            f"{pdf.name} attaches '{name}' encoded as {', '.join(map(str, filters))}, "
            "which briefgen never writes"
        )
    if len(raw) > MAX_ATTACHMENT:
        raise UnpackError(f"{pdf.name} attaches '{name}', over {_MIB} MiB: refused")
    return raw


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


def matching_briefing(files: dict[str, bytes], digest: str, target: Path | None) -> str | None:
    """The briefing of briefgen.yaml whose inputs digest the files give, with the
    theme this briefgen ships (and `target`'s own templates/, if it has one);
    None when no briefing's does."""
    config = load_yaml(files[CONFIG_NAME], CONFIG_NAME).data
    briefings = config.get("briefings") if isinstance(config, dict) else None
    ids = [b.get("id") for b in briefings or [] if isinstance(b, dict)]
    # In the order edition.make_edition hashes them: briefgen.yaml, the sheets, the record.
    sheets = sorted(name for name in files if name.startswith(f"{FACTS_DIR}/"))
    records = sorted(name for name in files if name.startswith(f"{EDITIONS_DIR}/"))
    inputs = [InputFile(name, files[name]) for name in [CONFIG_NAME, *sheets, *records]]
    theme = theme_files(template_dirs(target) if target is not None else [THEME_DIR])
    for briefing_id in ids:
        if (
            isinstance(briefing_id, str)
            and inputs_hash(GENERATOR, briefing_id, inputs, theme)[:12] == digest
        ):
            return briefing_id
    return None

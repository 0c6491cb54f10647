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
from .load import CONFIG_NAME, FACTS_DIR, MAX_FILES, SHEET_SUFFIXES
from .output import write_atomic
from .paths import inside
from .records import EDITIONS_DIR, MAX_RECORD_BYTES
from .theme import THEME_DIR, template_dirs
from .yamlfile import MAX_BYTES, load_yaml

# The attachment descriptions briefgen writes end so (formats/page.py).
_DIGEST = re.compile(r"\(inputs ([0-9a-f]{12})\)$")
# Attachments are inflated under these bounds, never beyond: a few kilobytes of
# PDF can hold gigabytes of zeros behind Flate filters. A sheet is at most what
# load.py reads (FORMAT.md's 5 MiB), a record what records.py reads.
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_ATTACHMENTS = MAX_FILES + 2  # the sheets, briefgen.yaml and one record


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
    streams, digest = _attachments(pdf)
    names = sorted(streams)
    for name in names:
        _check_name(name)
    target = target.absolute()
    _check_target(names, target)
    try:
        files = _inflate(pdf, streams)
    except UnpackError as error:
        raise UnpackError(f"{error}; nothing was written") from None
    briefing_id = matching_briefing(files, digest, target)
    if briefing_id is None:
        raise UnpackError(
            f"the attached files do not give the inputs digest the PDF names ({digest}): they "
            f"were changed after it was made, or it was made by another version than "
            f"{GENERATOR} or with templates of its own; nothing was written"
        )
    # Every check is done: only the disk can fail from here.
    written = []
    for name in names:
        write_atomic(target / name, files[name])
        written.append(target / name)
    return Unpacked(briefing_id, digest, written)


def _check_target(names: list[str], target: Path) -> None:
    """Refuse, before anything is written, every name that could not be written
    as a file inside `target`: through a link, over a file already there, under a
    plain file, or where another name needs a folder."""
    for name in names:
        if any(other.startswith(name + "/") for other in names):
            raise UnpackError(
                f"refused '{name}': another attachment needs a folder of that name; "
                "nothing was written"
            )
    existing = target
    while not existing.exists() and not existing.is_symlink() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise UnpackError(f"{existing} is not a folder; nothing was written")
    for name in names:
        path = target / name
        if path.is_symlink() or not inside(path, target):
            raise UnpackError(f"'{name}' would be written outside {target} (through a link)")
        for folder in path.relative_to(target).parents:
            if (target / folder).exists() and not (target / folder).is_dir():
                raise UnpackError(
                    f"{target} has a file {folder.as_posix()} where '{name}' needs a folder; "
                    "nothing was written"
                )
        if path.exists() or path.is_symlink():
            raise UnpackError(
                f"{target} already has {name}; nothing was written (choose an empty folder)"
            )


def _attachments(pdf: Path) -> tuple[dict[str, Any], str]:
    """briefgen's attachments in `pdf`, by name, as streams not yet inflated; the digest."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(pdf)
        root: Any = reader.trailer["/Root"]
        tree = root.get("/Names", {}).get("/EmbeddedFiles", {})
        entries = tree.get("/Names", []) if tree else []
        streams: dict[str, Any] = {}
        digests: set[str] = set()
        for index in range(0, len(entries) - 1, 2):
            spec = entries[index + 1].get_object()
            name = str(spec.get("/UF") or spec.get("/F") or entries[index])
            match = _DIGEST.search(str(spec.get("/Desc", "")))
            if match is None:
                continue  # not one of briefgen's inputs
            digests.add(match[1])
            if name in streams:
                raise UnpackError(f"{pdf.name} attaches '{name}' twice")
            if len(streams) == MAX_ATTACHMENTS:
                raise UnpackError(f"{pdf.name} attaches more than {MAX_ATTACHMENTS:,} files")
            streams[name] = spec["/EF"]["/F"].get_object()
    except (PdfReadError, OSError, KeyError, TypeError, ValueError) as error:
        raise UnpackError(f"cannot read {pdf.name} as a PDF: {error}") from error
    if not streams:
        raise UnpackError(f"{pdf.name} carries no briefgen inputs: it was not made by briefgen")
    if len(digests) != 1:
        raise UnpackError(f"{pdf.name}'s attachments name {len(digests)} different digests")
    if CONFIG_NAME not in streams:
        raise UnpackError(f"{pdf.name} carries no {CONFIG_NAME}")
    return streams, digests.pop()


def _inflate(pdf: Path, streams: dict[str, Any]) -> dict[str, bytes]:
    """Each attachment's bytes, inflated no further than its limit and the total's."""
    limits = {
        name: MAX_RECORD_BYTES if name.startswith(f"{EDITIONS_DIR}/") else MAX_BYTES
        for name in sorted(streams)
    }
    for name, limit in limits.items():  # what the file says of itself, before any inflating
        declared = streams[name].get("/Params", {}).get("/Size")
        if isinstance(declared, int) and declared > limit:
            raise UnpackError(f"refused '{name}': larger than the limit of {limit // 2**20} MiB")
    files: dict[str, bytes] = {}
    left = MAX_TOTAL_BYTES
    for name, limit in limits.items():
        try:
            data = _stream_data(streams[name], min(limit, left))
        except _TooLarge:
            if left < limit:
                raise UnpackError(
                    f"{pdf.name}'s attachments come to more than {MAX_TOTAL_BYTES // 2**20} MiB"
                ) from None
            raise UnpackError(
                f"refused '{name}': larger than the limit of {limit // 2**20} MiB"
            ) from None
        except (zlib.error, KeyError, TypeError, ValueError) as error:
            raise UnpackError(f"cannot read '{name}' in {pdf.name}: {error}") from error
        files[name] = data
        left -= len(data)
    return files


class _TooLarge(Exception):
    pass


def _stream_data(stream: Any, limit: int) -> bytes:
    """A stream's bytes through its Flate filters, each stage at most `limit` bytes:
    never inflated beyond it, whatever size the file declares."""
    filters = stream.get("/Filter", [])
    filters = [filters] if isinstance(filters, str) else list(filters)
    if any(str(f) != "/FlateDecode" for f in filters) or stream.get("/DecodeParms"):
        raise ValueError(f"a filter briefgen never writes ({', '.join(map(str, filters))})")
    data: bytes = stream._data  # as stored: get_data() would inflate it without a bound
    for _ in filters:
        inflater = zlib.decompressobj()
        data = inflater.decompress(data, limit + 1)
        if len(data) > limit or inflater.unconsumed_tail:
            raise _TooLarge
        data += inflater.flush()
        if len(data) > limit:
            raise _TooLarge
    if len(data) > limit:  # stored as it is
        raise _TooLarge
    return data


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


def read_inputs(pdf: Path) -> tuple[dict[str, bytes], str]:
    """The project files attached to `pdf` by name, inflated within the bounds, and
    the digest their descriptions name (verify.py). Raises UnpackError when it is not
    a briefgen PDF or an attachment is too large."""
    streams, digest = _attachments(pdf)
    for name in streams:
        _check_name(name)
    return _inflate(pdf, streams), digest


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

"""The .docx archive rewritten so that a rebuild gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile


def normalise_zip(data: bytes, day: dt.date) -> bytes:
    """The same archive with every entry stamped `day` and written alike, so two
    builds give the same bytes (zipfile stamps entries with the clock)."""
    # A ZIP entry's date holds the years 1980 to 2107 (MS-DOS time); an edition
    # outside them (FORMAT allows 0001 to 9999) is stamped with the nearest.
    stamp = (min(max(day.year, 1980), 2107), day.month, day.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename), compresslevel=6)
    return out.getvalue()


__all__ = ["normalise_zip"]

"""Handling markings (FORMAT 1.2): the project's scheme, each item's marking, and
what a briefing's release withholds.

A scheme is an ordered list of names, lowest first: the project's `markings:`,
or TLP 2.0. A source's marking is its own (or the default); a fact's is the
highest of its own and its cited sources'; a judgment's is its own when it has
one (written for release), else the highest of the facts it rests on. A
briefing's `release:` withholds everything marked above it. Names the scheme
does not know are reported by the checks; here they rank as the highest, so a
misspelt marking never lets an item through a release.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Fact, Judgment, Settings, Source

TLP: tuple[str, ...] = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")

# TLP 2.0's marking-definition objects as OASIS publishes them for STIX 2.1
# (the "TLP 2.0" extension), so platforms recognise the marking by its id.
TLP_STIX_IDS: dict[str, str] = {
    "TLP:CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "TLP:GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "TLP:AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "TLP:AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "TLP:RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
# Other schemes' markings become statement markings named by a UUIDv5 of the
# marking's text, so the same marking has the same id in every bundle and edition.
_STATEMENT_NAMESPACE = uuid.UUID("4f6b3c9e-5e0c-5c55-9a51-2b1c8b0d6a61")


TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
_TLP_CREATED = "2022-10-01T00:00:00.000Z"


def stix_marking_id(name: str) -> str:
    """The STIX id of the marking-definition for `name`."""
    if name in TLP_STIX_IDS:
        return TLP_STIX_IDS[name]
    return f"marking-definition--{uuid.uuid5(_STATEMENT_NAMESPACE, name)}"


def stix_marking(name: str, created: str) -> dict[str, object]:
    """The marking-definition object for `name`: TLP 2.0's as OASIS publishes it,
    else a statement marking created at `created`, which should never change (a
    marking-definition is immutable: another `created` would be another object)."""
    if name in TLP_STIX_IDS:
        return {
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": TLP_STIX_IDS[name],
            "created": _TLP_CREATED,
            "name": name,
            "extensions": {
                TLP_EXTENSION: {
                    "extension_type": "property-extension",
                    "tlp_2_0": name.removeprefix("TLP:").lower(),
                }
            },
        }
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": stix_marking_id(name),
        "created": created,
        "name": name,
        "definition_type": "statement",
        "definition": {"statement": name},
    }


@dataclass(frozen=True)
class Scheme:
    """A project's markings, lowest first, and the marking of what names none."""

    names: tuple[str, ...]
    default: str
    # False while the project names no marking anywhere: nothing is portion-marked.
    used: bool

    def rank(self, name: str | None) -> int:
        """Higher is more restricted; an unknown name ranks above every known one."""
        if name is None:
            return self.names.index(self.default)
        try:
            return self.names.index(name)
        except ValueError:
            return len(self.names)

    def highest(self, names: Iterable[str | None]) -> str:
        """The highest of `names` (the default for none, or for None)."""
        found = self.default
        for name in names:
            name = name or self.default
            if self.rank(name) > self.rank(found):
                found = name
        return found

    def above(self, name: str, release: str | None) -> bool:
        """Whether `name` is withheld by a release at `release` (None: no release)."""
        return release is not None and self.rank(name) > self.rank(release)


def scheme_of(settings: Settings, used: bool) -> Scheme:
    """The project's scheme from briefgen.yaml's `markings` and `default_marking`;
    `used`: whether anything in the project names a marking or a release."""
    names = tuple(settings.markings) if settings.markings else TLP
    default = settings.default_marking if settings.default_marking in names else names[0]
    return Scheme(names, default, used or settings.markings is not None)


def source_marking(scheme: Scheme, source: Source) -> str:
    return source.marking or scheme.default


def fact_marking(scheme: Scheme, fact: Fact, sources: dict[str, Source]) -> str:
    """The highest of the fact's own marking and those of the sources it cites."""
    cited = [source_marking(scheme, sources[c.source]) for c in fact.sources if c.source in sources]
    return scheme.highest([fact.marking, *cited])


def judgment_marking(scheme: Scheme, judgment: Judgment, fact_markings: dict[str, str]) -> str:
    """Its own marking, or the highest of the facts it is based on. A fact the
    project does not have counts as the highest, so it withholds rather than leaks."""
    if judgment.marking is not None:
        return judgment.marking
    return scheme.highest(
        fact_markings.get(fact_id, scheme.names[-1]) for fact_id in judgment.based_on
    )


__all__ = [
    "TLP",
    "TLP_STIX_IDS",
    "Scheme",
    "fact_marking",
    "judgment_marking",
    "scheme_of",
    "source_marking",
    "stix_marking",
    "stix_marking_id",
]

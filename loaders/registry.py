"""Which loader reads which file: the list of loaders and detection of a file's kind.

Detection asks each loader in turn whether it recognises the file from its name and first bytes;
the order puts the most specific formats first. `--kind` on the CLI skips detection.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from loaders.base import FileLoader
from loaders.problems import LoadFailed, Problem
from loaders.reading import check_readable, text_head

# module name -> the loader object it defines as LOADER; most specific first.
LOADER_MODULES = (
    "loaders.cin_census",
    "loaders.ssda903",
    "loaders.caseload",
    "loaders.commentary",
    "loaders.improvement_plan",
    "loaders.targets",
    "loaders.neighbours",
    "loaders.published",
    "loaders.lait",
    "loaders.population",
    "loaders.ees",
    "loaders.workbook",
)

HEAD_BYTES = 65536
KNOWN_EXTENSIONS = (".csv", ".xlsx", ".xlsm", ".xls", ".xml", ".parquet", ".txt")


class UnknownKind(LoadFailed):
    """The file is of no kind any loader reads (its extension or its content): one that an ingest
    asked to skip such files can skip, unlike a file of a known kind that is broken."""


def all_loaders() -> list[FileLoader]:
    return [importlib.import_module(name).LOADER for name in LOADER_MODULES]


def kinds() -> list[str]:
    return [loader.kind for loader in all_loaders()]


def loader_for(kind: str) -> FileLoader:
    for loader in all_loaders():
        if loader.kind == kind:
            return loader
    raise LoadFailed(
        [Problem(file="--kind", message=f"unknown kind {kind!r}", expected=", ".join(kinds()))]
    )


def detect_kind(path: Path, display_name: str | None = None) -> FileLoader:
    """The loader for `path`, recognised from its extension and content."""
    name = display_name or path.name
    if path.suffix.lower() not in KNOWN_EXTENSIONS:
        raise UnknownKind(
            [
                Problem(
                    file=name,
                    message=f"cannot load a {path.suffix or 'extensionless'} file",
                    expected="one of " + ", ".join(KNOWN_EXTENSIONS),
                )
            ]
        )
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.strip():
        raise LoadFailed([Problem(file=name, message="the file is empty")])
    check_readable(path, name)
    head = text_head(head)
    for loader in all_loaders():
        if loader.sniff(path, head):
            return loader
    raise UnknownKind(
        [
            Problem(
                file=name,
                message="not a file this dashboard recognises",
                expected="a file of a known kind: " + ", ".join(kinds()),
            )
        ]
    )

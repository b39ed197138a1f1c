"""What an upload did, as text that wraps: one line per file, then each problem once.

The ingest report lists a failed batch's problems twice (under the file they belong to and in the
batch's list); here each is shown once, under its file, and problems that belong to no single file
(an unexpected stop) come last. Every problem's text already names the file, the row or cell, the
column and what was expected (loaders.problems.Problem). Markdown is escaped, so a file name or a
message can never turn into formatting or a link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_INLINE = re.compile(r"([\\`*_{}\[\]<>#|~$])")
_LIST_START = re.compile(r"^(\d+)([.)])|^([-+])")


def escape_markdown(text: str) -> str:
    """`text` shown literally by st.markdown: markdown and LaTeX characters escaped, and a start
    that would read as a list item ("1.", "-")."""
    text = _INLINE.sub(r"\\\1", text)
    return _LIST_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


@dataclass
class FileReport:
    summary: str  # "failed: plan.csv (improvement_plan, 0 rows)"
    messages: list[str] = field(default_factory=list)


@dataclass
class UploadResult:
    ok: bool
    files: list[FileReport]
    other_problems: list[str] = field(default_factory=list)  # problems naming no uploaded file alone

    @property
    def problems(self) -> list[str]:
        """Every problem once: each file's, then the rest."""
        if self.ok:
            return []
        return [m for f in self.files for m in f.messages] + self.other_problems

    @property
    def lines(self) -> list[str]:
        """The report as plain lines (a file's summary, then its messages indented)."""
        out: list[str] = []
        for report in self.files:
            out.append(report.summary)
            out.extend(f"    {m}" for m in report.messages)
        out.extend(self.other_problems)
        return out

    def markdown(self) -> str:
        """The report as a markdown list, which wraps at the page's width."""
        blocks = []
        for report in self.files:
            block = f"- **{escape_markdown(report.summary)}**"
            block += "".join(f"\n    - {escape_markdown(m)}" for m in report.messages)
            blocks.append(block)
        blocks.extend(f"- {escape_markdown(p)}" for p in self.other_problems)
        return "\n".join(blocks) or "No files."


def upload_result(ok: bool, files: list[tuple[str, list[str]]], problems: list[str]) -> UploadResult:
    """From the ingest report: `files` as (summary, messages), `problems` the batch's problems; a
    problem already listed under a file is not repeated."""
    listed = {m for _, messages in files for m in messages}
    return UploadResult(
        ok=ok,
        files=[FileReport(summary, list(messages)) for summary, messages in files],
        other_problems=[] if ok else [p for p in dict.fromkeys(problems) if p not in listed],
    )

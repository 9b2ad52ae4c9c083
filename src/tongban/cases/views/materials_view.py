"""The reviewer's view of the files: per material, the ones handed in last are current and
shown; earlier rounds fold away; the same file uploaded again appears once, counted."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FileLine:
    attachment: object
    copies: int = 1


@dataclass
class MaterialFiles:
    requirement: object | None  # None: files not tied to a listed material
    current: list[FileLine] = field(default_factory=list)
    earlier: list[FileLine] = field(default_factory=list)
    round: int = 0


def _deduplicated(attachments) -> list[FileLine]:
    lines: dict[str, FileLine] = {}
    for attachment in attachments:
        if attachment.sha256 in lines:
            lines[attachment.sha256].copies += 1
            lines[attachment.sha256].attachment = attachment  # the newest copy
        else:
            lines[attachment.sha256] = FileLine(attachment)
    return list(lines.values())


def materials_for_review(attachments) -> list[MaterialFiles]:
    groups: dict[int | None, list] = {}
    requirements: dict[int | None, object] = {}
    for attachment in sorted(attachments, key=lambda a: a.pk):
        groups.setdefault(attachment.requirement_id, []).append(attachment)
        requirements[attachment.requirement_id] = attachment.requirement
    result = []
    for requirement_id, files in groups.items():
        latest = max(a.supplement_round for a in files)
        result.append(
            MaterialFiles(
                requirement=requirements[requirement_id],
                current=_deduplicated([a for a in files if a.supplement_round == latest]),
                earlier=_deduplicated([a for a in files if a.supplement_round < latest]),
                round=latest,
            )
        )
    result.sort(
        key=lambda group: (group.requirement is None, getattr(group.requirement, "position", 0))
    )
    return result

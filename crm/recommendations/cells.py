"""Splitting the composite cells of OHCHR's matrices and UHRI's export into the fields they hold.

An OHCHR matrix puts the number, the wording, the recommending states in brackets and (in the real files)
"Source of position: A/HRC/.. - Para. N" in one Recommendation cell, and themes, affected persons and SDGs
in one themes cell. UHRI writes every multi-valued cell one value a line, each prefixed "- ".
"""

from __future__ import annotations

import re
from collections.abc import Callable

Record = dict[str, str]

_ENTRY = re.compile(r"^\s*(?P<number>\d{1,3}\.\d{1,4})\.?(?:\s+|$)(?P<body>.*)$", re.S)
_SOURCE_LINE = re.compile(r"^\s*(?:source of position|position)\s*:\s*(?P<source>.*)$", re.I)
THEME_CODE = re.compile(r"^[A-Z]\d{1,2}\s+")
# OHCHR's themes list codes the Sustainable Development Goals "S16 SDG 16 - ..." (and "S Sustainable
# Development Goal implementation"): those lines are goals, not human-rights themes.
_SDG_LINE = re.compile(r"^(?:S\d{0,2}\s+(?:SDG\b|Sustainable Development)|SDG\s*\d|Goal\s+\d)", re.I)
_PERSONS_HEADING = re.compile(r"^(?:affected persons|groups? of persons)\s*:?\s*(?P<rest>.*)$", re.I)
_SDG_HEADING = re.compile(r"^(?:relevant\s+)?sdgs?\s*:\s*(?P<rest>.*)$", re.I)
_BULLET = re.compile(r"^[-–•]\s*")
HEADING = re.compile(r"^\s*(?:theme|right or area|rights? and area|cluster)\s*:", re.I)


def trailing_group(cell: str, end: int | None = None) -> int | None:
    """Where the bracket group closing at ``end`` (default: the cell's end) opens; groups may nest."""
    end = len(cell) if end is None else end
    if end == 0 or cell[end - 1] != ")":
        return None
    depth = 0
    for index in range(end - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(cell[index], 0)
        if depth == 0:
            return index
    return None


def _trailing_chain(text: str, end: int) -> list[tuple[int, str]]:
    """The bracket groups ending ``text[:end]`` ("... (Maldives) (Portugal)"): where each opens, contents."""
    groups: list[tuple[int, str]] = []
    while True:
        stripped = text[:end].rstrip()
        opening = trailing_group(stripped)
        if opening is None:
            return groups
        groups.insert(0, (opening, stripped[opening + 1 : -1]))
        end = opening


def states_in_text(text: str, is_state: Callable[[str], bool]) -> tuple[str, list[str]]:
    """The wording without the states at its end, and the states of every clause of a clustered cell.

    A cell clusters several recommendations, each ending with its own states:
    ``Ratify X (Ukraine); Increase efforts towards Y (Slovakia);``. The last group of brackets always
    names states (if it does not resolve, the resolver says so); groups before it, and groups before a
    ``;`` inside the cell, count only when they resolve, since "Convention, 1930 (No. 29) (United
    Kingdom)" and "(ICCPR);" are wording. The clauses' own states stay in the text so that who asked what
    is not lost; the final ones are removed, as OHCHR prints them.
    """
    body = text.strip().rstrip(" ;.,")
    last = _trailing_chain(body, len(body))
    while len(last) > 1 and not _all_states(last[0][1], is_state):
        last.pop(0)
    end = last[0][0] if last else len(body)
    states: list[str] = []
    for match in re.finditer(r"\)\s*;", body[:end]):
        groups = _trailing_chain(body, match.start() + 1)
        states.extend(group for _opening, group in groups if _all_states(group, is_state))
    states.extend(group for _opening, group in last)
    return body[:end].rstrip(" ;,"), states


def _all_states(group: str, is_state: Callable[[str], bool]) -> bool:
    return all(is_state(name) for name in split_group(group))


def split_group(group: str) -> list[str]:
    """The names in one bracket group: "Portugal, Slovakia"; "Venezuela (Bolivarian Republic of)" is one."""
    names: list[str] = []
    current: list[str] = []
    depth = 0
    for char in group:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in ",;" and depth == 0:
            names.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    names.append("".join(current).strip())
    return [name for name in names if name]


def refine_matrix(record: Record) -> Record:
    """Number, wording, source and themes out of a matrix row's composite cells."""
    lines = record.get("text", "").strip().splitlines()
    kept: list[str] = []
    sources: list[str] = []
    for line in lines:
        source = _SOURCE_LINE.match(line)
        if source and kept:
            sources.append(source["source"].strip())
        else:
            kept.append(line)
    cell = "\n".join(kept).strip()
    entry = _ENTRY.match(cell)
    if entry:
        record["number"] = record.get("number") or entry["number"]
        cell = entry["body"].strip()
    record["text"] = cell
    position = [line.strip() for line in record.get("response", "").splitlines() if line.strip()]
    record["response"] = position[0] if position else ""
    sources += [line.split(":", 1)[1].strip() for line in position[1:] if ":" in line]
    record["response_source"] = record.get("response_source") or "; ".join(s for s in sources if s)
    states = record.get("recommending_states", "")
    if states:
        record["recommending_states"] = "\n".join(
            line.strip().rstrip(",;.").strip() for line in states.splitlines() if line.strip()
        )
    themes, persons, sdgs = split_themes(record.get("themes", ""))
    record["themes"] = ";".join(themes)
    record["affected_persons"] = record.get("affected_persons") or ";".join(persons)
    own_sdgs = [_BULLET.sub("", line.strip()) for line in record.get("sdgs", "").splitlines()]
    record["sdgs"] = ";".join([*sdgs, *(line for line in own_sdgs if line)])
    return record


def split_themes(cell: str) -> tuple[list[str], list[str], list[str]]:
    """A matrix themes cell: theme lines, then "Affected persons:" (or "Groups of persons:"), "SDGs:"."""
    themes: list[str] = []
    persons: list[str] = []
    sdgs: list[str] = []
    target = themes
    for written in cell.splitlines():
        line = _BULLET.sub("", written.strip()).strip()
        for heading, section in ((_PERSONS_HEADING, persons), (_SDG_HEADING, sdgs)):
            found = heading.match(line)
            if found:
                target, line = section, found["rest"].strip()
                break
        if not line:
            continue
        if target is themes and _SDG_LINE.match(line):
            sdgs.append(line)
        elif target is themes:
            themes.append(THEME_CODE.sub("", line))
        else:
            target.append(line)
    return themes, persons, sdgs


def _values(cell: str) -> list[str]:
    return [_BULLET.sub("", line.strip()).strip() for line in cell.splitlines() if line.strip()]


def refine_uhri(record: Record) -> Record:
    """UHRI's one-value-a-line cells, the number at the start of ``Text`` and the states at its end."""
    for name in ("state_under_review", "recommending_states", "themes", "affected_persons", "sdgs", "body"):
        if name in record:
            record[name] = ";".join(_values(record[name]))
    text = record.get("text", "").strip()
    entry = _ENTRY.match(text)
    if entry:
        record["number"] = record.get("number") or entry["number"]
        text = entry["body"].strip()
    body = text.rstrip(" ;.")
    groups = _trailing_chain(body, len(body))
    if groups and record.get("recommending_states"):
        # As in a matrix (states_in_text): the last group names the states; one before it only when its
        # names are the row's states, so "Convention, 1930 (No. 29) (Germany)" keeps "(No. 29)".
        named = {_folded(name) for name in record["recommending_states"].split(";")}
        while len(groups) > 1 and not all(_folded(name) in named for name in split_group(groups[0][1])):
            groups.pop(0)
        text = body[: groups[0][0]].rstrip(" ;,")
    record["text"] = text
    return record


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()

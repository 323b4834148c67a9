"""Whether a conference page was read whole: a page cut short, or with a stray heading in the
middle, must be refused, not turned into a conference with fewer participants.

The reader (``conference_page``) is forgiving about layout; these checks are strict about
structure, each naming the line:

- the page ends with a line break (a file cut mid-way does not);
- each section heading (overview, contents, declaration) at most once, in that order, and each
  overview field heading at most once: a heading found again is a stray one, and what follows it
  would otherwise be read into the wrong place;
- the overview has its period, venue, organizer and participation, each with text, and a
  contents heading has agenda items below it;
- every country heading in the participation is followed by its list, and a list does not end
  with a separator; "listed 0 of 21" is an error (a stated count that differs from the listed
  regions stays a note: the sources do disagree);
- the contents start with an agenda item, not with loose text;
- a declaration has text, its resolutions are numbered 1, 2, 3... without gaps, and it ends
  with the end of a sentence.

What no check can tell: a page cut exactly between two paragraphs, after a whole resolution or
a whole country's list, reads as a shorter page (the count difference is then a note).
"""

from __future__ import annotations

from .page_headings import FIELD_ROLES, SECTION_ROLES

REQUIRED_FIELDS = ("period", "venue", "organizer", "participation")
SENTENCE_ENDS = tuple(".。!?！？)）」』”\"'»…")
SEPARATORS = tuple(",，、;；")


class Incomplete(ValueError):
    """The page was not read whole; ``line`` is where it shows (or None)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def check_ends_with_line_break(text: str, last_line: int) -> None:
    """Blanks after the last line break do not count (editors leave them)."""
    text = text.rstrip(" \t\u00a0")
    if text and not text.endswith(("\n", "\r")):
        raise Incomplete(
            "the page ends in the middle of a line (no line break at the end): it looks "
            "truncated; add the missing text, or a line break if the page is whole",
            last_line,
        )


def check_headings(headings: list[tuple[str, int, str | None]], last_line: int | None) -> None:
    """``headings``: (role, line, section it appeared in) of every section and field heading,
    in page order; ``last_line``: the page's last line with text (a page cut short ends there)."""
    seen: dict[str, int] = {}
    last_section = -1
    for role, line, section in headings:
        if role in seen:
            raise Incomplete(
                f"the {role} heading appears again (first on line {seen[role]}): a stray "
                "heading would move what follows it into the wrong place",
                line,
            )
        seen[role] = line
        if role in FIELD_ROLES and section != "overview":
            raise Incomplete(f"the {role} heading is outside the overview (a stray heading?)", line)
        if role in SECTION_ROLES:
            order = SECTION_ROLES.index(role)
            if order < last_section:
                before = SECTION_ROLES[last_section]
                raise Incomplete(
                    f"the {role} section comes after the {before} section (line "
                    f"{seen[before]}; expected {', '.join(SECTION_ROLES)} in that order)",
                    line,
                )
            last_section = order
    missing = [role for role in REQUIRED_FIELDS if role not in seen]
    if missing:
        # reported where the overview ends: the next section's heading, or the page's end
        ends = next((line for role, line, _ in headings if role in SECTION_ROLES[1:]), last_line)
        raise Incomplete(f"the overview ends with no {' and no '.join(missing)} heading", ends)


def check_fields_have_text(fields: dict, field_lines: dict[str, int]) -> None:
    """Each overview field heading is followed by its text (a page cut after a heading is not)."""
    for role in REQUIRED_FIELDS:
        if role in fields and not fields[role]:
            raise Incomplete(f"the {role} heading is not followed by anything", field_lines[role])


def check_section_has_text(role: str, heading_line: int | None, lines: list) -> None:
    if heading_line is not None and not any(line.text for line in lines):
        raise Incomplete(f"the {role} section is empty: it looks cut short", heading_line)


def check_participation(participation) -> None:
    listed = len(participation.listed)
    stated = participation.stated_participants
    if listed == 0:
        of = f" of {stated} stated" if stated else ""
        raise Incomplete(f"the participation lists 0{of} participants", participation.stated_line)


def check_list_line(text: str, line: int) -> None:
    if text.rstrip().endswith(SEPARATORS):
        raise Incomplete("the list of regions ends with a separator: it looks cut short", line)


def check_contents(first_line_text: str | None, line: int | None, is_item) -> None:
    if first_line_text is not None and not is_item(first_line_text):
        raise Incomplete(
            "the contents start with text that is not an agenda item (a stray heading above?)",
            line,
        )


def check_declaration(declaration, last_text: str | None, last_line: int | None) -> None:
    if not declaration.preamble and not declaration.resolutions:
        raise Incomplete("the declaration has no text: it looks cut short", declaration.line)
    for expected, resolution in enumerate(declaration.resolutions, start=1):
        if resolution.ordinal != expected:
            raise Incomplete(
                f"resolution {resolution.ordinal} where {expected} was expected "
                "(a resolution missing, or the page cut or reordered)",
                resolution.line,
            )
    if last_text is not None and not last_text.endswith(SENTENCE_ENDS):
        raise Incomplete("the declaration ends in the middle of a sentence", last_line)

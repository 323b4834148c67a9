"""`nearkg ingest` refuses a page it cannot read whole, naming the line, and writes nothing:
pages from data/sources/ truncated, shuffled, with a stray heading in the participants, with an
empty participation, or not in UTF-8 (issue 17)."""

from __future__ import annotations

import random
import re

import pytest

from loaders.conference_page import PageError, parse_page

from .conftest import REPO, nearkg

SOURCES = REPO / "data" / "sources"
EN_PAGE = SOURCES / "001_69d2c7127d6cf458.txt"  # the 3rd conference, 1995
MN_PAGE = SOURCES / "000_fd87586da14a5f9b.txt"  # the 1st conference, 1993, in Mongolian
PAGES = pytest.mark.parametrize("page", [EN_PAGE, MN_PAGE], ids=["en", "mn"])


def refused(text: str) -> PageError:
    with pytest.raises(PageError) as caught:
        parse_page(text)
    return caught.value


def cut_mid_line(text: str, fraction: float) -> str:
    """The page cut at ``fraction`` of its characters, inside a line (as a file cut short is)."""
    at = int(len(text) * fraction)
    while at < len(text) - 1 and (text[at - 1] in "\n\r" or not text[at - 1].strip()):
        at += 1
    return text[:at]


@PAGES
def test_the_whole_seed_pages_are_read(page):
    parsed = parse_page(page.read_text(encoding="utf-8"))
    assert parsed.participation.listed and parsed.declaration.resolutions


@PAGES
@pytest.mark.parametrize("percent", range(5, 100, 5))
def test_a_page_cut_short_is_refused_naming_a_line(page, percent):
    error = refused(cut_mid_line(page.read_text(encoding="utf-8"), percent / 100))
    assert error.line is not None


@PAGES
@pytest.mark.parametrize("seed", range(8))
def test_a_page_with_its_paragraphs_shuffled_is_refused(page, seed):
    paragraphs = page.read_text(encoding="utf-8").split("\n\n")
    random.Random(seed).shuffle(paragraphs)
    refused("\n\n".join(paragraphs) + "\n")


@pytest.mark.parametrize("heading", ["Periods", "Contents", "Declaration", "Overview", "Venue"])
def test_a_stray_heading_in_the_participants_is_refused(heading):
    lines = EN_PAGE.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip() == "Japan")
    lines.insert(at, "\t" + heading)
    error = refused("\n".join(lines))
    assert error.line == at + 1 or f"line {at + 1}" in error.message  # the stray one


def test_a_country_heading_without_its_regions_is_refused():
    text = EN_PAGE.read_text(encoding="utf-8")
    text = text.replace("\tPrimorski Territory, Khabarovsk Territory, Amur Region, "
                        "Kamchatka Region, Sakhalin Region\n", "")  # fmt: skip
    error = refused(text)
    assert "Russia" in error.message and "not followed by its regions" in error.message


def test_listed_zero_of_stated_is_an_error_but_a_difference_is_a_note():
    lines = EN_PAGE.read_text(encoding="utf-8").split("\n")
    stated = next(i for i, line in enumerate(lines) if "21 regional authorities" in line)
    contents = next(i for i, line in enumerate(lines) if "Contents" in line)
    emptied = "\n".join(lines[: stated + 1] + [""] + lines[contents:])
    assert "lists 0 of 21" in refused(emptied).message

    fewer = EN_PAGE.read_text(encoding="utf-8").replace("Heilongjiang Province, ", "")
    page = parse_page(fewer)
    assert len(page.participation.listed) == 17
    assert any("21 participants stated, 17 listed" in text for _, text in page.notes)


def test_a_list_ending_with_a_separator_is_refused():
    text = EN_PAGE.read_text(encoding="utf-8").replace(
        "Gyeongsangbuk-Do, Gyeongsangnam-Do", "Gyeongsangbuk-Do,"
    )
    assert "ends with a separator" in refused(text).message


def test_resolutions_must_be_numbered_without_gaps():
    text = EN_PAGE.read_text(encoding="utf-8").replace("\n2. To continue", "\n4. To continue")
    assert "resolution 4 where 2 was expected" in refused(text).message


def test_cli_refuses_a_cut_page_and_keeps_the_existing_file(tmp_path):
    out = tmp_path / "1995.ttl"
    out.write_text("# the good data, kept\n")
    cut = tmp_path / "cut.txt"
    cut.write_text(cut_mid_line(EN_PAGE.read_text(encoding="utf-8"), 0.4), encoding="utf-8")
    result = nearkg("ingest", str(cut), "--out", str(out), "--strict")
    assert result.returncode == 2, result.stderr
    assert re.search(r"cut\.txt:\d+: incomplete page", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_text() == "# the good data, kept\n"


def test_cli_refuses_a_page_not_in_utf8(tmp_path):
    page = tmp_path / "latin1.txt"
    page.write_bytes(EN_PAGE.read_text(encoding="utf-8").replace("’", "'").encode("utf-8")
                     + "Résumé\n".encode("latin-1"))  # fmt: skip
    result = nearkg("ingest", str(page))
    assert result.returncode == 2
    assert "not UTF-8" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


@PAGES
def test_a_page_cut_right_after_a_heading_is_refused(page):
    """A cut at a line break, just after a heading, leaves the heading with nothing below."""
    lines = page.read_text(encoding="utf-8").split("\n")
    for heading in HEADING_LINES[page.name]:
        at = lines.index(heading)
        error = refused("\n".join(lines[: at + 1]) + "\n")
        assert error.line is not None, heading


HEADING_LINES = {
    EN_PAGE.name: ["\tPeriods", "\tVenue (Place", "\tOrganized by", "\tParticipation",
                   "· Contents", "· Khabarovsk Declaration"],
    MN_PAGE.name: ["· Агуулга", "· Шиманэгийн тунхаг"],
}  # fmt: skip

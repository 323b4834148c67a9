"""One name matcher for search, ingest and reconciliation (see docs/names.md).

``fold`` is the one folding rule; ``NameKeys`` adds the generic words of the heading table;
``romanization`` bridges scripts; ``NameMatcher`` indexes the names of things and ranks hits.
"""

from .folding import NameKeys, fold, script_of, spaced
from .matcher import BRIDGED, EXACT, FUZZY, PREFIX, Hit, NameMatcher, Thing

__all__ = [
    "BRIDGED",
    "EXACT",
    "FUZZY",
    "PREFIX",
    "Hit",
    "NameKeys",
    "NameMatcher",
    "Thing",
    "fold",
    "script_of",
    "spaced",
]

"""The per-version indexes (entity index, name matcher, reconciliation facts) hold the data as
bytes and arrays, not as a Python object per thing or name (issues 16 and 22): what they keep
is bounded by the text of the data, measured on a synthetic NEAR-shaped dataset; and the
tables they are made of answer as the dicts and lists they replace."""

from __future__ import annotations

import gc
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks import synthetic
from loaders.settings import Settings
from loaders.store import KnowledgeStore
from loaders.string_table import KeyedNumbers, SortedStrings, StringList, StringMap
from service.linked_data.entity_index import build_index
from service.linked_data.name_finder import build_matcher
from service.reconcile.properties import _read_facts

TRIPLES = 30_000
# what a name or a thing may cost beyond its text: a few 4-byte offsets and numbers in
# arrays, and each sorted table's hash slots (8-16 bytes a key: a lookup by CRC-32 instead of
# bisection); a per-name tuple, str and dict entry, as before, cost over 250 bytes
PER_ENTRY_BYTES = 80
# a name is kept as written, folded, as its key and loose key; an IRI in the things, labels,
# parents and facts tables (the data's text measured once: old per-name objects held 5x this)
TEXT_COPIES = 6


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory) -> KnowledgeStore:
    folder = tmp_path_factory.mktemp("synthetic")
    synthetic.write(folder, TRIPLES, 1)
    store = KnowledgeStore(Settings.from_env({}, data_dir=folder), validator=False)
    store.reload(allow_invalid=True)
    return store


def test_the_indexes_keep_no_python_object_per_name(synthetic_store):
    store, snapshot = synthetic_store, synthetic_store.snapshot
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index = build_index(store, snapshot)
        matcher = build_matcher(store, snapshot, index)
        facts = _read_facts(store, snapshot, index)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    things = list(matcher.things)  # made now, from the tables, and dropped after
    names = sum(len(dict.fromkeys(thing.names)) for thing in things)
    text = sum(len(thing.iri.encode()) for thing in things)
    text += sum(len(name.encode()) for thing in things for name, _ in thing.names)
    assert len(things) > 1_000 and names > 3 * len(things)  # the data is what was meant
    bound = TEXT_COPIES * text + PER_ENTRY_BYTES * (names + len(things))
    assert held <= bound, f"{held:,} bytes held for {names:,} names of {len(things):,} things"
    # and they answer: a thing's names, its facts, its labels
    region = next(t for t in things if t.kind == "region")
    assert matcher.find(region.preferred["en"], 3)[0].thing.iri == region.iri
    assert facts.of(region.iri, "name_en") == [region.preferred["en"]]
    assert facts.of(region.iri, "iso") and facts.of(region.iri, "country")
    assert index.labels[region.iri] == region.preferred


TEXTS = st.lists(st.text(max_size=12), max_size=40)


@given(TEXTS)
def test_a_string_list_gives_back_what_it_was_given(texts):
    table = StringList(texts)
    assert list(table) == texts and len(table) == len(texts)
    assert [table[i] for i in range(-len(texts), 0)] == texts
    assert table[1:3] == texts[1:3]


@given(TEXTS, st.text(max_size=12))
def test_sorted_strings_find_as_a_sorted_set_does(texts, probe):
    table = SortedStrings(texts)
    assert list(table) == sorted(set(texts))  # code point order
    for text in [*texts, probe]:
        assert (text in table) == (text in set(texts))
        assert table.find(text) == (sorted(set(texts)).index(text) if text in texts else -1)
    prefix = probe[:2]
    assert [table[i] for i in table.starting_with(prefix)] == [
        t for t in sorted(set(texts)) if t.startswith(prefix)
    ]
    assert table.find("\ud800") == -1 and "a\udc80" not in table  # no UTF-8 form: not held
    with pytest.raises(TypeError):  # its hash slots would no longer find what is added
        table.append(probe)


@given(st.dictionaries(st.text(max_size=8), st.lists(st.tuples(st.integers(0, 5), st.text()))))
def test_a_string_map_answers_as_the_dict_it_was_made_from(runs):
    table = StringMap(runs, list)
    assert dict(table.items()) == {k: v for k, v in runs.items()}
    assert all(table.pairs(k) == v and table[k] == v for k, v in runs.items())
    assert table.get("\x00absent") is None and table.pairs("\x00absent") == []
    asked = SortedStrings([*list(runs)[::2], "\x00absent", "~absent"])
    assert [table.keys_[p] if p >= 0 else None for p in table.positions_of(asked)] == [
        key if key in runs else None for key in asked
    ]
    assert all(table.value_at(table.keys_.find(k)) == v for k, v in runs.items())
    numbers = KeyedNumbers({k: [tag for tag, _ in v] for k, v in runs.items()})
    assert {k: list(v) for k, v in numbers.items()} == {
        k: [tag for tag, _ in v] for k, v in runs.items()
    }


def test_label_statements_kept_stay_within_their_bound(synthetic_store, monkeypatch):
    from service.linked_data import entity_index

    index = build_index(synthetic_store, synthetic_store.snapshot)
    named = [iri for iri in index.things if index.labels.get(iri)][:12]
    assert len(named) == 12
    fresh = [index.label_triples(iri) for iri in named]  # made before the bound is lowered
    index._label_triples.clear()
    monkeypatch.setattr(entity_index, "LABEL_TRIPLES_KEPT", 5)
    for _ in range(2):
        assert [index.label_triples(iri) for iri in named] == fresh  # same, kept or remade
        assert len(index._label_triples) <= 5
    assert list(index._label_triples) == named[-5:]  # the oldest made went first

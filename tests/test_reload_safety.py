"""A reload that fails (malformed Turtle, a broken shapes file, SHACL violations, the loading
process killed with SIGKILL) leaves the previous data serving and the on-disk store opening
cleanly; readers during reloads never see a mix of old and new data."""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
from types import SimpleNamespace
from urllib.parse import quote

import pytest

from loaders.backends import embedded
from loaders.loading import LoadError
from loaders.settings import Settings
from loaders.store import CURRENT, KnowledgeStore, ValidationFailed
from service.app import create_app

from .conftest import TINY_DATA, nearkg
from .reload_support import (
    COUNT_BOTH,
    paired_files,
    start_nearkg,
    write_big_file,
    write_paired_dataset,
)
from .sparql_support import call, start

BROKEN_TURTLE = TINY_DATA + "<https://w3id.org/near/id/region/JP-33> a ;\n"
BROKEN_SHAPES = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<#S> a sh:NodeShape ; sh:path .\n"


def serving(client) -> dict:
    return client.get("/healthz").get_json()


@pytest.mark.parametrize(
    ("relative", "text", "location"),
    [
        ("data/turtle/regions.ttl", BROKEN_TURTLE, r"data/turtle/regions\.ttl:6:\d+: "),
        ("shapes/near.ttl", BROKEN_SHAPES, r"shapes/near\.ttl:2:\d+: "),
    ],
)
def test_a_malformed_file_fails_the_reload_and_the_old_data_keeps_serving(
    tiny_dataset, relative, text, location
):
    settings = Settings.from_env({}, data_dir=tiny_dataset)
    store = KnowledgeStore.open(settings, validator=False)
    client = create_app(settings, store=store).test_client()
    before = serving(client)
    (tiny_dataset / relative).write_text(text)

    with pytest.raises(LoadError) as failure:
        store.reload()
    assert re.match(location, str(failure.value)), str(failure.value)

    after = serving(client)
    assert (after["triples"], after["data_version"]) == (before["triples"], before["data_version"])
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_shacl_violations_fail_the_reload_and_the_old_data_keeps_serving(tiny_dataset):
    """The gate itself, with a stand-in validator (the real shapes: the test below)."""

    def validator(snapshot):
        count = snapshot.triples
        return SimpleNamespace(has_violations=count > 6, violation_count=count - 6)

    settings = Settings.from_env({}, data_dir=tiny_dataset)
    store = KnowledgeStore.open(settings, validator=validator)
    client = create_app(settings, store=store).test_client()
    before = serving(client)
    data = tiny_dataset / "data/turtle/regions.ttl"
    data.write_text(data.read_text() + "<https://w3id.org/near/id/region/X> a <urn:x:Y> .\n")

    with pytest.raises(ValidationFailed):
        store.reload()
    assert serving(client)["data_version"] == before["data_version"]


@pytest.mark.parametrize(
    ("relative", "text", "exit_code", "location"),
    [
        ("data/turtle/regions.ttl", BROKEN_TURTLE, 2, r"data/turtle/regions\.ttl:6:\d+: "),
        ("shapes/near.ttl", BROKEN_SHAPES, 2, r"shapes/near\.ttl:2:\d+: "),
        ("data/turtle/regions.ttl", "\ufeff@prefix x: <a b> .", 2, r"data/turtle/regions\.ttl:1:"),
        ("data/turtle/bad-bytes.ttl", "", 2, r"data/turtle/bad-bytes\.ttl"),
    ],
)
def test_nearkg_load_exits_non_zero_naming_file_line_column(
    tiny_dataset, relative, text, exit_code, location
):
    path = tiny_dataset / relative
    if text:
        path.write_text(text)
    else:
        path.write_bytes(b'<urn:a> <urn:b> "\xff\xfe" .\n')
    result = nearkg("load", "--data-dir", str(tiny_dataset))
    assert result.returncode == exit_code, result.stderr
    assert re.search(location, result.stderr), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.server
def test_failed_and_killed_loads_leave_the_server_and_the_store_intact(tmp_path):
    data = write_paired_dataset(tmp_path / "data", 20)
    store_path = tmp_path / "store"
    first = nearkg("load", "--data-dir", str(data), "--store", str(store_path))
    assert first.returncode == 0, first.stderr
    good = (store_path / CURRENT).read_text()
    server = start(tmp_path, "--data-dir", str(data), "--store", str(store_path),
                   env={"NEARKG_RELOAD_CHECK_SECONDS": "0.2"})  # fmt: skip
    try:
        before = json.loads(call(server.url, "GET", "/healthz").body)

        # 1. a malformed file: exit 2, nothing published
        broken = write_paired_dataset(tmp_path / "broken", 20)
        (broken / "data/turtle/left.ttl").write_text("<urn:a> <urn:b> .\n")
        failed = nearkg("load", "--data-dir", str(broken), "--store", str(store_path))
        assert failed.returncode == 2 and "left.ttl:1:" in failed.stderr

        # 2. a load killed with SIGKILL in the middle of writing its generation
        big = write_paired_dataset(tmp_path / "big", 20)
        write_big_file(big / "data/turtle/big.ttl", 200_000)
        generations = set(store_path.glob("gen-*"))
        loader = start_nearkg("load", "--data-dir", str(big), "--store", str(store_path))
        deadline = time.monotonic() + 60
        while set(store_path.glob("gen-*")) == generations and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)
        assert loader.poll() is None, "the load finished before it could be killed"
        os.kill(loader.pid, signal.SIGKILL)
        loader.wait(timeout=10)
        partial = set(store_path.glob("gen-*")) - generations
        assert len(partial) == 1 and not (partial.pop() / embedded.META).exists()

        time.sleep(0.6)  # longer than NEARKG_RELOAD_CHECK_SECONDS
        assert (store_path / CURRENT).read_text() == good
        after = json.loads(call(server.url, "GET", "/healthz").body)
        assert after["data_version"] == before["data_version"]
        assert call(server.url, "GET", "/sparql?query=" + quote(COUNT_BOTH)).status == 200
    finally:
        server.stop()

    # 3. the store opens cleanly afterwards, in a new process too
    reopened = KnowledgeStore.open(
        Settings.from_env({}, data_dir=data, store_path=store_path), validator=False
    )
    assert reopened.snapshot.version == before["data_version"]
    restarted = start(tmp_path, "--data-dir", str(data), "--store", str(store_path))
    try:
        restarted_health = json.loads(call(restarted.url, "GET", "/healthz").body)
        assert restarted_health["data_version"] == before["data_version"]
        assert restarted_health["triples"] == before["triples"]
    finally:
        restarted.stop()


def test_publishing_keeps_the_generation_servers_read_not_a_killed_one(tmp_path):
    """Killed loads leave newer, unfinished generations: the one that was CURRENT is kept."""
    data = write_paired_dataset(tmp_path / "data", 5)
    settings = Settings.from_env({}, data_dir=data, store_path=tmp_path / "store")
    store = KnowledgeStore(settings, validator=False)
    store.reload()
    served = store.snapshot.generation.name
    abandoned = tmp_path / "store" / "gen-99991231T000000000000-abandoned"
    abandoned.mkdir()
    (abandoned / "000001.sst").write_bytes(b"partial")

    (data / "data/turtle/left.ttl").write_text(paired_files(6)["data/turtle/left.ttl"])
    store.reload()
    names = {p.name for p in (tmp_path / "store").glob("gen-*")}
    assert served in names  # servers may still be reading it
    assert store.snapshot.generation.name in names
    assert abandoned.name in names  # young: another load might still be writing it

    old = time.time() - embedded.ABANDONED_AFTER_SECONDS - 60
    for path in (abandoned, *abandoned.iterdir()):
        os.utime(path, (old, old))
    (data / "data/turtle/right.ttl").write_text(paired_files(6)["data/turtle/right.ttl"])
    store.reload()
    assert not abandoned.exists()


def test_readers_never_see_a_mix_of_two_reloads(tmp_path):
    """Threads count two graphs that always change together while the data is reloaded."""
    data = write_paired_dataset(tmp_path / "data", 10)
    settings = Settings.from_env({}, data_dir=data)
    store = KnowledgeStore.open(settings, validator=False)
    client = create_app(settings, store=store).test_client()
    seen: list[tuple[int, int]] = []
    errors: list[str] = []
    stop = threading.Event()

    def read() -> None:
        for _ in range(5000):
            if stop.is_set():
                return
            (row,) = store.query(COUNT_BOTH)
            seen.append((int(row["left"].value), int(row["right"].value)))
            reply = client.get("/sparql", query_string={"query": COUNT_BOTH, "format": "json"})
            if reply.status_code != 200:
                errors.append(reply.get_data(as_text=True))
                continue
            (binding,) = reply.get_json()["results"]["bindings"]
            seen.append((int(binding["left"]["value"]), int(binding["right"]["value"])))

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    # bounded: at most 200 reloads and 120 s; readers slowed by a busy machine get more time
    deadline = time.monotonic() + 120
    for reloads, size in enumerate([10, 40] * 100, start=1):
        for relative, text in paired_files(size).items():
            (data / relative).write_text(text)
        store.reload()
        time.sleep(0.25)
        both_read = {left for left, _ in seen} >= {10, 40}
        if (reloads >= 8 and len(seen) >= 40 and both_read) or time.monotonic() > deadline:
            break
    stop.set()
    for reader in readers:
        reader.join(timeout=60)

    assert errors == []
    assert len(seen) >= 40
    assert {left for left, _ in seen} == {10, 40}  # both versions were read...
    assert all(left == right for left, right in seen)  # ...never half of each


SECOND_SERIES = (
    "<https://w3id.org/near/id/conference/1993> <https://w3id.org/near/def#inSeries> "
    "<https://w3id.org/near/id/series/another> .\n"
)


def test_real_shacl_violations_fail_the_load_and_the_reload(real_dataset):
    settings = Settings.from_env({}, data_dir=real_dataset)
    store = KnowledgeStore.open(settings)  # the real shapes gate
    client = create_app(settings, store=store).test_client()
    before = serving(client)
    conference = real_dataset / "data/turtle/conferences/1993.ttl"
    conference.write_text(conference.read_text() + SECOND_SERIES)

    with pytest.raises(ValidationFailed):
        store.reload()
    assert serving(client)["data_version"] == before["data_version"]

    result = nearkg("load", "--data-dir", str(real_dataset))
    assert result.returncode == 1, result.stderr
    assert "SHACL violation" in result.stderr and "Traceback" not in result.stderr

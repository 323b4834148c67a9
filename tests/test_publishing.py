"""One writer, leased generations, and a store that never points at nothing: real `nearkg load`
processes racing each other while a real server answers, corrupt and missing generations, and
read-only commands that must not publish (issue 17)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from loaders.backends import generations
from loaders.memory import child_pids
from loaders.store import CURRENT

from .conftest import REPO, free_port, nearkg
from .reload_support import COUNT_BOTH, paired_files, write_big_file, write_paired_dataset
from .sparql_support import call, start
from .test_orphaned_processes import _children_when_ready

FAST_CHECKS = {"NEARKG_RELOAD_CHECK_SECONDS": "0.05"}


def current_generation(store: Path) -> Path:
    return store / (store / CURRENT).read_text().strip()


def assert_current_is_complete(store: Path) -> None:
    generation = current_generation(store)
    assert generation.is_dir(), f"CURRENT names {generation.name}, which is missing"
    meta = json.loads((generation / generations.META).read_text())
    assert generations.broken_seal(generation, meta) is None


def is_leased(generation: Path) -> bool:
    """Whether some process holds a shared lease on the generation (an exclusive lock fails)."""
    fd = os.open(generation / generations.LEASE, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def publish_first(data: Path, store: Path) -> tuple[str, list[Path]]:
    """Load ``data`` into ``store``; what a failing load must leave as it is: CURRENT and the
    generations."""
    done = nearkg("load", "--data-dir", str(data), "--store", str(store))
    assert done.returncode == 0, done.stderr
    return (store / CURRENT).read_text(), sorted(store.glob("gen-*"))


def health(server) -> dict:
    reply = call(server.url, "GET", "/healthz")
    assert reply.status == 200, reply.body
    return json.loads(reply.body)


def counts(server) -> tuple[int, int]:
    reply = call(server.url, "GET", "/sparql?format=json&query=" + quote(COUNT_BOTH))
    assert reply.status == 200, reply.body
    (row,) = json.loads(reply.body)["results"]["bindings"]
    return int(row["left"]["value"]), int(row["right"]["value"])


def spawn_load(data: Path, store: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", "load", "--data-dir", str(data),
         "--store", str(store), *extra],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.server
@pytest.mark.parametrize("racers", [2, 3])
def test_racing_loads_leave_current_on_a_complete_generation(tmp_path, racers):
    store = tmp_path / "store"
    datasets = [write_paired_dataset(tmp_path / f"data{i}", 5 + i) for i in range(racers)]
    assert nearkg("load", "--data-dir", str(datasets[0]), "--store", str(store)).returncode == 0
    server = start(tmp_path, "--data-dir", str(datasets[0]), "--store", str(store), env=FAST_CHECKS)
    try:
        deadline = time.monotonic() + 150
        for _ in range(4):  # bounded rounds, and bounded time on a busy machine
            loads = [spawn_load(data, store) for data in datasets]
            outcomes = [load.communicate(timeout=120) for load in loads]
            for load, (_, err) in zip(loads, outcomes, strict=True):
                assert load.returncode == 0, err
                assert "Traceback" not in err
            assert_current_is_complete(store)
            time.sleep(0.3)
            assert health(server)["status"] == "ok"
            left, right = counts(server)
            assert left == right and left in {5 + i for i in range(racers)}
            if time.monotonic() > deadline:
                break
        # once the server has moved on, a publish leaves only current, previous, and leased
        time.sleep(0.3)
        counts(server)
        assert nearkg("load", "--data-dir", str(datasets[0]), "--store", str(store)).returncode == 0
        extra = sorted(store.glob("gen-*"))[:-2]
        assert all(is_leased(generation) for generation in extra), extra
    finally:
        server.stop()


def test_a_second_load_gives_up_after_its_wait_with_exit_5(tmp_path):
    store = tmp_path / "store"
    data = write_paired_dataset(tmp_path / "data", 3)
    assert nearkg("load", "--data-dir", str(data), "--store", str(store)).returncode == 0
    before = (store / CURRENT).read_text()
    with generations.publish_lock(store, wait_seconds=0, say=print):  # a load in progress
        busy = nearkg("load", "--data-dir", str(data), "--store", str(store), "--wait", "0.5")
    assert busy.returncode == 5, busy.stderr
    assert f"waiting for another load to finish publishing to {store}" in busy.stdout
    assert "another load" in busy.stderr and str(store) in busy.stderr
    assert "Traceback" not in busy.stderr
    assert (store / CURRENT).read_text() == before


@pytest.mark.server
@pytest.mark.parametrize("interval", ["0.05", "3"])  # "3": several publishes per check
def test_back_to_back_publishes_under_traffic_answer_no_5xx(tmp_path, interval):
    store = tmp_path / "store"
    data = write_paired_dataset(tmp_path / "data", 10)
    assert nearkg("load", "--data-dir", str(data), "--store", str(store)).returncode == 0
    server = start(
        tmp_path, "--data-dir", str(data), "--store", str(store), "--workers", "2",
        env={"NEARKG_RELOAD_CHECK_SECONDS": interval},
    )  # fmt: skip
    statuses: list[int] = []
    stop = threading.Event()
    paths = [
        "/sparql?format=json&query=" + quote(COUNT_BOTH),
        "/healthz",
        "/doc/left/1.ttl",
        "/",
    ]

    def traffic() -> None:
        for i in range(4000):
            if stop.is_set():
                return
            statuses.append(call(server.url, "GET", paths[i % len(paths)]).status)

    readers = [threading.Thread(target=traffic) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for size in [20, 10, 30, 10, 20, 40, 10, 20]:  # bounded: eight publishes in a row
            for relative, text in paired_files(size).items():
                (data / relative).write_text(text)
            done = nearkg("load", "--data-dir", str(data), "--store", str(store))
            assert done.returncode == 0, done.stderr
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
        # once the workers have moved on, the generations they read are let go and cleaned:
        # any left besides the current and the previous one is still leased by a process
        time.sleep(float(interval) + 0.5)
        for _ in range(6):  # the workers see the newest generation, retire old query processes
            counts(server)
        assert nearkg("load", "--data-dir", str(data), "--store", str(store)).returncode == 0
        extra = sorted(store.glob("gen-*"))[:-2]
        assert all(is_leased(generation) for generation in extra), extra
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
        server.stop()
    assert len(statuses) > 20  # requests all through the publishes (slower on a busy machine)
    assert [s for s in statuses if s >= 500] == []


def corrupt(generation: Path, how: str) -> None:
    table = max(generation.glob("*.sst"), key=lambda p: p.stat().st_size)
    if how == "truncated":
        with table.open("r+b") as handle:
            handle.truncate(table.stat().st_size // 2)
    else:  # flipped bytes in the middle of the largest table
        with table.open("r+b") as handle:
            handle.seek(table.stat().st_size // 2)
            chunk = handle.read(32)
            handle.seek(table.stat().st_size // 2)
            handle.write(bytes(b ^ 0xFF for b in chunk))


@pytest.mark.server
@pytest.mark.parametrize("how", ["truncated", "flipped"])
def test_a_corrupt_or_missing_current_generation_degrades_and_never_fails(tmp_path, how):
    store = tmp_path / "store"
    data = write_paired_dataset(tmp_path / "data", 7)
    assert nearkg("load", "--data-dir", str(data), "--store", str(store)).returncode == 0
    good = current_generation(store)
    for relative, text in paired_files(9).items():
        (data / relative).write_text(text)
    assert nearkg("load", "--data-dir", str(data), "--store", str(store)).returncode == 0
    newest = current_generation(store)
    corrupt(newest, how)

    # a new server falls back to the newest complete generation and says why
    server = start(tmp_path, "--data-dir", str(data), "--store", str(store), env=FAST_CHECKS)
    try:
        status = health(server)
        assert status["status"] == "degraded" and newest.name in status["reason"]
        assert counts(server) == (7, 7)

        # CURRENT pointing at something missing: the server keeps what it has
        (store / CURRENT).write_text("gen-29991231T000000000000-missing")
        time.sleep(0.5)
        status = health(server)
        assert status["status"] == "degraded" and "missing" in status["reason"]
        assert counts(server) == (7, 7)
        assert call(server.url, "GET", "/doc/left/1.ttl").status == 200

        # a worker killed now is respawned with nothing: it falls back too, never an empty 500
        (worker,) = _children_when_ready(server.process.pid, count=1, seconds=30)
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while child_pids(server.process.pid) in ([], [worker]) and time.monotonic() < deadline:
            time.sleep(0.2)
        for _ in range(3):
            assert health(server)["status"] == "degraded"
            assert counts(server) == (7, 7)
    finally:
        server.stop()

    # the read-only commands fall back too: no traceback
    queried = nearkg("query", "--data-dir", str(data), "--store", str(store), COUNT_BOTH)
    assert queried.returncode == 0, queried.stderr
    assert "Traceback" not in queried.stderr and "degraded" in queried.stderr
    assert good.is_dir()


@pytest.mark.server
def test_with_nothing_usable_on_disk_workers_serve_the_files(tmp_path):
    store = tmp_path / "store"
    data = write_paired_dataset(tmp_path / "data", 4)
    assert nearkg("load", "--data-dir", str(data), "--store", str(store)).returncode == 0
    corrupt(current_generation(store), "truncated")
    server = start(tmp_path, "--data-dir", str(data), "--store", str(store), "--workers", "2")
    try:
        for _ in range(4):  # both workers
            assert health(server)["status"] == "degraded"
            assert counts(server) == (4, 4)
    finally:
        server.stop()


@pytest.mark.server
def test_read_only_commands_serve_what_is_published_and_never_publish(tmp_path):
    store = tmp_path / "store"
    published = write_paired_dataset(tmp_path / "published", 3)
    other = write_paired_dataset(tmp_path / "other", 8)
    assert nearkg("load", "--data-dir", str(published), "--store", str(store)).returncode == 0
    before = (store / CURRENT).read_text()
    generations_before = sorted(p.name for p in store.glob("gen-*"))

    asked = nearkg("query", "--data-dir", str(other), "--store", str(store), COUNT_BOTH,
                   "--format", "csv")  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.splitlines()[1] == "3,3"  # the published data, not the checkout
    assert "differ" in asked.stderr
    exported = nearkg("export", "--data-dir", str(other), "--store", str(store))
    assert exported.returncode == 0 and "differ" in exported.stderr
    server = start(tmp_path, "--data-dir", str(other), "--store", str(store))
    try:
        status = health(server)
        assert status["checkout_differs"] is True and status["published"] is True
        assert counts(server) == (3, 3)
    finally:
        server.stop()
    assert (store / CURRENT).read_text() == before
    assert sorted(p.name for p in store.glob("gen-*")) == generations_before


def test_the_cleaner_skips_a_generation_a_process_leases(tmp_path):
    store = tmp_path / "store"
    data = write_paired_dataset(tmp_path / "data", 2)
    for size in (2, 3):
        for relative, text in paired_files(size).items():
            (data / relative).write_text(text)
        assert nearkg("load", "--data-dir", str(data), "--store", str(store)).returncode == 0
    oldest = min(store.glob("gen-*"))
    reader = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; "
         "from loaders.backends.generations import Lease; "
         "lease = Lease.take(Path(sys.argv[1])); print(lease is not None, flush=True); "
         "time.sleep(60)", str(oldest)],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert reader.stdout.readline().strip() == "True"
        for size in (4, 5):  # two more publishes: the oldest is neither current nor previous
            for relative, text in paired_files(size).items():
                (data / relative).write_text(text)
            assert nearkg("load", "--data-dir", str(data), "--store", str(store)).returncode == 0
        assert oldest.is_dir()  # leased: kept
    finally:
        reader.kill()
        reader.wait(timeout=10)
    for relative, text in paired_files(6).items():
        (data / relative).write_text(text)
    assert nearkg("load", "--data-dir", str(data), "--store", str(store)).returncode == 0
    assert not oldest.exists()  # released: removed by the next publish
    assert not list(store.glob(".trash-*"))
    shutil.rmtree(store)


def test_data_published_despite_violations_is_served_only_with_allow_invalid(
    tiny_dataset, tmp_path
):
    (tiny_dataset / "shapes/near.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix near: <https://w3id.org/near/def#> .\n"
        "near:RegionShape a sh:NodeShape ; sh:targetClass near:Region ;\n"
        "    sh:property [ sh:path near:missing ; sh:minCount 1 ] .\n"
    )
    store = tmp_path / "store"
    args = ("--data-dir", str(tiny_dataset), "--store", str(store))
    assert nearkg("load", *args).returncode == 1  # refused: nothing published
    assert not (store / CURRENT).exists()
    assert nearkg("load", *args, "--allow-invalid").returncode == 0
    refused = nearkg("serve", *args, "--port", str(free_port()))  # refused before it binds
    assert refused.returncode == 1, refused.stderr
    assert "--allow-invalid" in refused.stderr and "Traceback" not in refused.stderr
    assert nearkg("query", *args, "ASK { ?s ?p ?o }").returncode == 0  # queries may read it


def test_a_query_process_that_cannot_open_its_generation_says_so(tmp_path):
    from service.sparql.engine import open_generation_for_queries

    store = tmp_path / "store"
    data = write_paired_dataset(tmp_path / "data", 2)
    assert nearkg("load", "--data-dir", str(data), "--store", str(store)).returncode == 0
    generation = current_generation(store)
    lease, opened, why = open_generation_for_queries(str(generation))
    assert opened is not None and why is None and lease is not None
    lease.release()
    corrupt(generation, "truncated")
    assert open_generation_for_queries(str(generation))[2].startswith(
        f"the query process could not open the data at {generation}: Corruption"
    )
    gone = open_generation_for_queries(str(store / "gen-missing"))[2]
    assert gone.endswith("gen-missing is gone")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_load_publishes_nothing_and_leaves_nothing(tmp_path, stop):
    store = tmp_path / "store"
    data = write_paired_dataset(tmp_path / "data", 3)
    before, generations_before = publish_first(data, store)
    write_big_file(data / "data/turtle/big.ttl", 300_000)
    load = spawn_load(data, store)
    deadline = time.monotonic() + 60
    while sorted(store.glob("gen-*")) == generations_before and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert load.poll() is None, "the load ended before it could be interrupted"
    load.send_signal(stop)
    _, err = load.communicate(timeout=60)
    assert load.returncode == 130, err
    assert err.strip() == "error: interrupted: nothing was published"
    assert (store / CURRENT).read_text() == before
    assert sorted(store.glob("gen-*")) == generations_before

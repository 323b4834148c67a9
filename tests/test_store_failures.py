"""The store folder failing under a load: a full disk and a read-only folder are said so, name
the store (not a data file), exit 4, and leave the published generation as it was and no
partial generation behind (issue 17). Real small file systems: tmpfs, mounted as root."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from loaders.store import CURRENT

from .conftest import nearkg, require
from .reload_support import write_big_file, write_paired_dataset
from .test_publishing import assert_current_is_complete, publish_first


@pytest.fixture
def small_filesystem(tmp_path):
    """A 2 MB tmpfs; needs root (CI runs as root)."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True,
    ).returncode == 0  # fmt: skip
    require("a small tmpfs", mounted, "mounting needs root and CAP_SYS_ADMIN")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def remount(mount_point: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(mount_point)], check=True)


def test_a_full_disk_names_the_store_and_leaves_no_partial_generation(tmp_path, small_filesystem):
    store = small_filesystem / "store"
    data = write_paired_dataset(tmp_path / "data", 5)
    before, generations = publish_first(data, store)

    write_big_file(data / "data/turtle/big.ttl", 100_000)  # ~9 MB of Turtle: more than 2 MB
    full = nearkg("load", "--data-dir", str(data), "--store", str(store))
    assert full.returncode == 4, full.stderr
    assert f"store {store}" in full.stderr and "disk is full" in full.stderr
    assert "big.ttl" not in full.stderr and "Traceback" not in full.stderr
    assert (store / CURRENT).read_text() == before
    assert sorted(store.glob("gen-*")) == generations
    assert_current_is_complete(store)


def test_a_read_only_store_folder_is_said_so_and_still_served(tmp_path, small_filesystem):
    store = small_filesystem / "store"
    data = write_paired_dataset(tmp_path / "data", 5)
    assert nearkg("load", "--data-dir", str(data), "--store", str(store)).returncode == 0
    remount(small_filesystem, "ro")
    try:
        refused = nearkg("load", "--data-dir", str(data), "--store", str(store))
        assert refused.returncode == 4, refused.stderr
        assert f"store {store}" in refused.stderr and "not writable" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1  # one line, no traceback
        read = nearkg("query", "--data-dir", str(data), "--store", str(store),
                      "ASK { ?s ?p ?o }", "--format", "json")  # fmt: skip
        assert read.returncode == 0 and '"boolean":true' in read.stdout.replace(" ", "")
    finally:
        remount(small_filesystem, "rw")


def test_export_to_a_full_disk_says_so_without_a_traceback(tmp_path, small_filesystem):
    data = write_paired_dataset(tmp_path / "data", 5)
    write_big_file(data / "data/turtle/big.ttl", 50_000)  # several MB of N-Quads
    target = small_filesystem / "near.nq"
    result = nearkg("export", "--data-dir", str(data), "--output", str(target))
    assert result.returncode == 4, result.stderr
    assert result.stderr.strip() == f"error: cannot write {target}: the disk is full"

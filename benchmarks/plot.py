"""Throughput and latency against dataset size, near-kg and Oxigraph server (matplotlib, from
the optional ``bench`` extra): results/throughput.png/.svg and results/latency.png/.svg."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend

SERIES = (
    ("nearkg", "o-", "near-kg"),
    ("nearkg_uncached", "^:", "near-kg, no cache"),
    ("oxigraph", "s--", "Oxigraph server"),
)


def draw(results: dict, out: Path) -> None:
    draw_users(results, out)
    sizes = [s for s in results["sizes"] if "nearkg" in s]
    if not sizes:
        return
    triples = [s["triples"] for s in sizes]
    names = list(sizes[0]["nearkg"])
    for metric, ylabel, stem in (
        ("rps", "requests per second (concurrency 8)", "throughput"),
        ("p99_ms", "p99 latency, ms (concurrency 8)", "latency"),
    ):
        figure, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 3.6), sharey=False)
        for axis, name in zip(axes, names, strict=True):
            for server, style, label in SERIES:
                values = [s.get(server, {}).get(name, {}).get("c8", {}).get(metric) for s in sizes]
                if any(v is not None for v in values):
                    axis.plot(triples, values, style, label=label)
            axis.set_xscale("log")
            axis.set_yscale("log")
            axis.set_title(name, fontsize=10)
            axis.set_xlabel("triples")
            axis.grid(True, which="both", alpha=0.3)
        axes[0].set_ylabel(ylabel)
        axes[0].legend(fontsize=8)
        figure.tight_layout()
        for suffix in ("png", "svg"):
            figure.savefig(out / f"{stem}.{suffix}", dpi=110)
        plt.close(figure)


def draw_users(results: dict, out: Path) -> None:
    """results/users.png/.svg: requests per second of every server on each ``--users``
    workload, one panel per size (log scale: the servers differ by orders of magnitude)."""
    from .users_report import COLUMNS, rps

    sizes = [s for s in results["sizes"] if "users" in s]
    if not sizes:
        return
    figure, axes = plt.subplots(1, len(sizes), figsize=(6 * len(sizes), 4.2), squeeze=False)
    for axis, size in zip(axes[0], sizes, strict=True):
        users = size["users"]
        workloads = list(users["workloads"])
        width = 0.8 / len(COLUMNS)
        for n, (column, label) in enumerate(COLUMNS):
            values = [rps(users, column, w) or 0 for w in workloads]
            places = [i + n * width for i in range(len(workloads))]
            axis.bar(places, values, width, label=label)
        axis.set_xticks([i + 0.4 - width / 2 for i in range(len(workloads))], workloads)
        axis.set_yscale("log")
        axis.set_title(f"{size['label']} ({size['triples']:,} triples)", fontsize=10)
        axis.grid(True, axis="y", which="both", alpha=0.3)
    axes[0][0].set_ylabel("requests per second (concurrency 8)")
    axes[0][-1].legend(fontsize=7)
    figure.tight_layout()
    for suffix in ("png", "svg"):
        figure.savefig(out / f"users.{suffix}", dpi=110)
    plt.close(figure)

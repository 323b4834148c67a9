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

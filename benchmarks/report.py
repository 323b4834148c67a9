"""The benchmark results as Markdown tables (printed, and saved as results/latest.md)."""

from __future__ import annotations

import statistics

from . import users_report as users


def _f(value, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def markdown(results: dict) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in results["versions"].items())
    lines = [
        "# near-kg benchmarks",
        "",
        f"Command: `{results['command']}`  ",
        f"Versions: {versions}  ",
        f"Machine: {results['machine']}  ",
        "Start-up on NEAR's own data (`nearkg serve` to its first 200 on /healthz), runs: "
        + _spread(results["startup_seconds"]),
    ]
    lines += users.markdown(results)
    loaded = [s for s in results["sizes"] if "memory" in s]
    if loaded:
        lines += [
            "",
            "## Load (one process per load; without SHACL; validation measured apart)",
            "",
            "| size | triples | in memory s | peak MB | on disk s | peak MB | validation s |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
    for size in loaded:
        memory, disk = size["memory"], size["disk"]
        lines.append(
            f"| {size['label']} | {size['triples']:,} | {_f(memory['load_seconds'])} | "
            f"{memory['peak_rss_mb']:.0f} | {_f(disk['load_seconds'])} | "
            f"{disk['peak_rss_mb']:.0f} | {_f(memory.get('validation_seconds'))} |"
        )
    names = list(loaded[0]["memory"].get("query_ms", {})) if loaded else []
    if names:
        lines += ["", "## In-process query medians (ms, 15 runs, results read to the end)", ""]
        lines.append("| size | " + " | ".join(names) + " |")
        lines.append("|---|" + "---:|" * len(names))
        for size in loaded:
            row = size["memory"].get("query_ms", {})
            lines.append(
                f"| {size['label']} | " + " | ".join(_f(row.get(n), 1) for n in names) + " |"
            )
    lines += _http(results)
    rss = [s for s in results["sizes"] if s.get("worker_rss_mb")]
    if rss:
        lines += [
            "",
            "## Memory per worker, on-disk store, after every workload (`--users`: after a "
            "crawl of every entity in Turtle and in HTML)",
            "",
        ]
        lines += [
            "RSS counts every page a worker maps, including those it shares with the other "
            "workers and the parent (the entity index is built before the fork); PSS divides "
            "each shared page among the processes sharing it.",
            "",
            "| size | workers' RSS MB | workers' PSS MB |",
            "|---|---|---|",
        ]
        for size in rss:
            shown = ", ".join(f"{mb:.0f}" for mb in size["worker_rss_mb"])
            pss = ", ".join(f"{mb:.0f}" for mb in size.get("worker_pss_mb", []))
            lines.append(f"| {size['label']} | {shown} | {pss or '–'} |")
    return "\n".join(lines) + "\n"


def _http(results: dict) -> list[str]:
    sizes = [s for s in results["sizes"] if "nearkg" in s]
    if not sizes:
        return []
    lines = [
        "",
        "## HTTP (wrk -t1; median of the runs, [min–max] req/s; p50/p99 ms of the median run)",
        "",
        "Oxigraph's answer to an entity request is the equivalent CONSTRUCT "
        "(`benchmarks/workloads.py`). ratio = near-kg req/s ÷ Oxigraph req/s.",
        "",
        "| size | workload | conc. | near-kg req/s | p50 | p99 | Oxigraph req/s | p50 | p99 "
        "| ratio | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, name, conc, ours, theirs, ratio in _side_by_side(sizes, "nearkg"):
        errors = ours["errors"] + (theirs["errors"] if theirs else 0)
        lines.append(
            f"| {size['label']} | {name} | {conc[1:]} | {_rps(ours)} | "
            f"{_f(ours['p50_ms'])} | {_f(ours['p99_ms'])} | "
            + (
                f"{_rps(theirs)} | {_f(theirs['p50_ms'])} | {_f(theirs['p99_ms'])}"
                if theirs
                else "– | – | –"
            )
            + f" | {_f(ratio)} | {errors} |"
        )
    lines += _uncached(sizes)
    return lines


def _side_by_side(sizes: list[dict], server: str):
    """(size, workload, concurrency, near-kg's figures, Oxigraph's or None, ratio or None)."""
    for size in sizes:
        for name, by_concurrency in size[server].items():
            for conc, ours in by_concurrency.items():
                theirs = size.get("oxigraph", {}).get(name, {}).get(conc)
                ratio = ours["rps"] / theirs["rps"] if theirs and theirs["rps"] else None
                yield size, name, conc, ours, theirs, ratio


def _uncached(sizes: list[dict]) -> list[str]:
    """near-kg with the response cache off, against Oxigraph: what a new question costs."""
    sizes = [s for s in sizes if "nearkg_uncached" in s]
    if not sizes:
        return []
    lines = [
        "",
        "## HTTP without the response cache (`NEARKG_CACHE_BYTES=0`, `--uncached`)",
        "",
        "Every request is rendered or queried again, as a question asked for the first time.",
        "",
        "| size | workload | conc. | near-kg req/s | p50 | p99 | Oxigraph req/s | ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, name, conc, ours, theirs, ratio in _side_by_side(sizes, "nearkg_uncached"):
        lines.append(
            f"| {size['label']} | {name} | {conc[1:]} | {_rps(ours)} | "
            f"{_f(ours['p50_ms'])} | {_f(ours['p99_ms'])} | "
            f"{_rps(theirs) if theirs else '–'} | {_f(ratio)} |"
        )
    return lines


def _rps(entry: dict) -> str:
    return f"{entry['rps']:.0f} [{entry['rps_min']:.0f}–{entry['rps_max']:.0f}]"

"""The ``--users`` results (``benchmarks/side_by_side.py``) as Markdown: requests per second of
each server on each workload at concurrency 8, and the ratios the targets of issue 22 name."""

from __future__ import annotations

COLUMNS = (
    ("nearkg_before", "near-kg before (--before), first time"),
    ("nearkg_uncached", "near-kg, first time (cache off)"),
    ("nearkg once", "near-kg, crawl once (cache on)"),
    ("nearkg", "near-kg, repeated (cache on)"),
    ("bare", "bare Flask+pyoxigraph (ceiling)"),
    ("oxigraph", "Oxigraph server (CONSTRUCT)"),
    ("trifid", "Trifid over Oxigraph"),
    ("rdflib_endpoint", "rdflib-endpoint (CONSTRUCT)"),
)


def figure(users: dict, column: str, workload: str) -> dict | None:
    server, _, once = column.partition(" ")
    return users["servers"].get(server, {}).get(workload + (" once" if once else ""))


def rps(users: dict, column: str, workload: str) -> float | None:
    got = figure(users, column, workload)
    return got["rps"] if got else None


def cpu_us(users: dict, column: str, workload: str) -> float | None:
    got = figure(users, column, workload)
    return got.get("cpu_us") if got else None


def ratios(users: dict, by_cpu: bool = False) -> list[tuple[str, float | None]]:
    """The targets' ratios (issue 22), each from figures of the same run: of req/s, or
    ``by_cpu``, of the requests one CPU second answers (the servers' own CPU time per
    request, which other load on the machine changes far less)."""

    def over(a: tuple[str, str], b: tuple[str, str]) -> float | None:
        if by_cpu:  # a's rate ÷ b's rate = b's cost ÷ a's cost
            top, bottom = cpu_us(users, *b), cpu_us(users, *a)
        else:
            top, bottom = rps(users, *a), rps(users, *b)
        return top / bottom if top and bottom else None

    return [
        ("entity Turtle, first time, after ÷ before",
         over(("nearkg_uncached", "crawl-ttl"), ("nearkg_before", "crawl-ttl"))),
        ("entity HTML, first time, after ÷ before",
         over(("nearkg_uncached", "crawl-html"), ("nearkg_before", "crawl-html"))),
        ("entity Turtle, first time ÷ bare app (≥ 0.9)",
         over(("nearkg_uncached", "crawl-ttl"), ("bare", "crawl-ttl"))),
        ("entity HTML, first time ÷ bare app's Turtle (≥ 0.6)",
         over(("nearkg_uncached", "crawl-html"), ("bare", "crawl-ttl"))),
        ("entity Turtle, first time ÷ Oxigraph CONSTRUCT (≥ 0.5 at 1M)",
         over(("nearkg_uncached", "crawl-ttl"), ("oxigraph", "crawl-ttl"))),
        ("entity Turtle, repeated ÷ Oxigraph (≥ 1.5)",
         over(("nearkg", "crawl-ttl"), ("oxigraph", "crawl-ttl"))),
        ("reader HTML, first time ÷ Trifid", over(("nearkg_uncached", "reader-html"),
                                                   ("trifid", "reader-html"))),
        ("entity Turtle, first time ÷ rdflib-endpoint",
         over(("nearkg_uncached", "crawl-ttl"), ("rdflib_endpoint", "crawl-ttl"))),
    ]  # fmt: skip


def markdown(results: dict) -> list[str]:
    sizes = [s for s in results["sizes"] if "users" in s]
    if not sizes:
        return []
    lines = [
        "",
        "## What users do, side by side (wrk -t1 -c8; req/s, median of the runs)",
        "",
        "crawl: every entity once, in a seeded random order (`workloads.crawl_order`; from the "
        "first again after the last); reader: HTML "
        "pages following links (a seeded random walk). near-kg first time: "
        "`NEARKG_CACHE_BYTES=0`; crawl once: one pass over the list with the cache on (each "
        "document asked for once); repeated: its first 1,000 requests asked again and again. "
        "Oxigraph and rdflib-endpoint answer the entity's CONSTRUCT "
        "(`workloads.entity_construct`); Trifid dereferences the thing; the bare app is "
        "`benchmarks/bare_app.py`. – : no such answer. A crawl-once pass over NEAR's 354 "
        "entities lasts under a second and so includes each worker's first template "
        "compilation and figure queries. Before each measured run, one pass over the list (at "
        'most `--warm-seconds`, 30 s by default) warms every server alike: "first time" is '
        "a document not asked for before, on a server that has been up a while.",
    ]
    lines += _table(sizes, _rps_cell)
    lines += [
        "",
        "### CPU per request (µs of the server's processes, user and system; Trifid with its "
        "Oxigraph)",
    ]
    lines += _table(sizes, _cpu_cell)
    for size in sizes:
        for name, why in size["users"].get("failed", {}).items():
            lines.append(f"\n{size['label']}: {name} could not be measured: {why}")
    lines += [
        "",
        "### Ratios (same run; of req/s, and of requests per CPU second)",
        "",
        "| size | ratio | req/s | by CPU per request |",
        "|---|---|---:|---:|",
    ]
    for size in sizes:
        by_cpu = dict(ratios(size["users"], by_cpu=True))
        for name, value in ratios(size["users"]):
            cells = ["–" if v is None else f"{v:.2f}" for v in (value, by_cpu[name])]
            lines.append(f"| {size['label']} | {name} | " + " | ".join(cells) + " |")
        rss = size["users"].get("nearkg_worker_rss_mb")
        if rss:
            shown = ", ".join(f"{mb:.0f}" for mb in rss)
            lines.append(f"| {size['label']} | near-kg workers' RSS MB (in memory) | {shown} | |")
    return lines


def _table(sizes: list[dict], cell) -> list[str]:
    """A row per size and workload, a column per server: ``cell(users, column, workload)``."""
    lines = [
        "",
        "| size | entities | workload | " + " | ".join(h for _, h in COLUMNS) + " |",
        "|---|---:|---|" + "---:|" * len(COLUMNS),
    ]
    for size in sizes:
        users = size["users"]
        for workload in users["workloads"]:
            cells = " | ".join(cell(users, column, workload) for column, _ in COLUMNS)
            lines.append(f"| {size['label']} | {users['entities']:,} | {workload} | {cells} |")
    return lines


def _rps_cell(users: dict, column: str, workload: str) -> str:
    got = figure(users, column, workload)
    if got is None:
        return "–"
    errors = f" ({got['errors']} errors)" if got["errors"] else ""
    # a crawl-once pass cut by --once-seconds: how many of its documents it asked for
    cut = got.get("of", 0) > got["requests"]
    partial = f" ({got['requests']:,} of {got['of']:,}, cut by --once-seconds)" if cut else ""
    return f"{got['rps']:,.0f}{errors}{partial}"


def _cpu_cell(users: dict, column: str, workload: str) -> str:
    found = cpu_us(users, column, workload)
    return "–" if found is None else f"{found:,.0f}"

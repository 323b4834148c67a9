"""The ``nearkg`` command."""

from __future__ import annotations

import errno
import math
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from loaders.loading import LoadError
from loaders.settings import SettingError, Settings
from service.http import formats
from service.http.formats import Format

if TYPE_CHECKING:  # rich is imported only when a progress bar is shown
    from rich.progress import Progress, TaskID

EPILOG_LOAD = """\b
Examples:
  nearkg load                        # parse, validate, print triples per graph
  nearkg load --store var/store      # build an on-disk store (running servers pick it up)
  nearkg load --data-dir /tmp/copy   # another checkout of the data
  nearkg load --to http://127.0.0.1:7878/query   # publish to a remote SPARQL store

--to URL (or NEARKG_SPARQL_ENDPOINT) builds and validates the data locally exactly as a local
load does, then pushes it into the SPARQL store whose query endpoint is URL, writing through
NEARKG_SPARQL_UPDATE_ENDPOINT (SPARQL Update) and/or NEARKG_SPARQL_GSP_ENDPOINT (Graph Store
Protocol), with NEARKG_SPARQL_USER/NEARKG_SPARQL_PASSWORD. Each graph is written to a staging
graph, its triple count checked, then all are swapped in (MOVE) in one update request, and the
metadata graph {base}graph/meta records the version; a failure before the swap leaves the
published graphs as they were. Without an update endpoint the graphs are replaced in place,
not atomically (printed). Replicas serving from the store switch to the new version within
NEARKG_RELOAD_CHECK_SECONDS.

Only `nearkg load` publishes to a store folder (--store): one load at a time (a second one
waits up to --wait seconds, then gives up), and servers, `query` and `export` read what it
published. A failed or killed load leaves the published data as it was.

Exit codes: 0 loaded, 1 SHACL violations, 2 an unreadable or malformed file (named with
file:line:col), 3 the remote store failed or refused the load (the published data is unchanged
unless the load said it was not atomic), 4 the store folder cannot be written (read-only, disk
full, I/O error; named), 5 another load kept the store folder busy longer than --wait."""


EX_CONFIG = 78  # sysexits: the configuration is wrong (a malformed setting, a bound too low)


def _settings(data_dir, store, base, **extra) -> Settings:
    """The settings, or exit 78 (sysexits' EX_CONFIG) naming the variable that is malformed."""
    try:
        return Settings.from_env(data_dir=data_dir, store_path=store, base=base, **extra)
    except SettingError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EX_CONFIG)


common = [
    click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder holding ontology/, data/turtle/, shapes/ and sparql/ [NEARKG_DATA_DIR].",
    ),
    click.option(
        "--store",
        type=click.Path(file_okay=False, path_type=Path),
        help="On-disk store folder; in memory when not given [NEARKG_STORE_PATH].",
    ),
    click.option("--base", help="Base of all IRIs [NEARKG_BASE, default https://w3id.org/near/]."),
]


def with_common(function):
    for option in reversed(common):
        function = option(function)
    return function


class _DelayedProgress:
    """A progress bar that appears only once a load has taken more than a second."""

    def __init__(self, console) -> None:
        self.console = console
        self.started = time.perf_counter()
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int, name: str) -> None:
        if self.progress is None:
            if time.perf_counter() - self.started < 1.0 or done >= total:
                return
            from rich.progress import Progress

            self.progress = Progress(console=self.console, transient=True)
            self.progress.start()
            self.task = self.progress.add_task("loading", total=total)
        if self.task is not None:
            self.progress.update(self.task, completed=done, description=f"loading {name}")

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _open_store(
    settings: Settings,
    *,
    allow_invalid: bool,
    console,
    fresh: bool = True,
    say=None,
    **reload_options,
):
    from loaders.store import KnowledgeStore

    progress = _DelayedProgress(console)
    try:
        if fresh:
            store = KnowledgeStore(settings)
            store.reload(progress=progress, allow_invalid=allow_invalid, say=say, **reload_options)
        else:
            store = KnowledgeStore.open(settings, progress=progress, allow_invalid=allow_invalid)
    finally:
        progress.close()
    for notice in store.notices:
        console.print(f"warning: {notice}", markup=False, highlight=False, style="yellow")
    return store


def _fail(error: LoadError):
    click.echo(f"error: {error}", err=True)
    report = getattr(error, "report", None)
    if report is not None and hasattr(report, "to_text"):
        click.echo(report.to_text(), err=True)
    sys.exit(error.exit_code)


def _interrupted(*_) -> None:
    raise KeyboardInterrupt


def _cannot_write(target, error: OSError):
    """An output that cannot be written (disk full, read-only folder): exit 4, no traceback."""
    why = "the disk is full" if error.errno == errno.ENOSPC else (error.strerror or str(error))
    click.echo(f"error: cannot write {target}: {why}", err=True)
    sys.exit(4)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="near-kg", prog_name="nearkg")
def main():
    """near-kg: the NEAR knowledge graph and linked-data service.

    \b
    Examples:
      nearkg serve                       # http://127.0.0.1:8080
      nearkg query members-per-country   # run a saved query from sparql/
      nearkg export --format nquads > near.nq
    """


@main.command(epilog=EPILOG_LOAD)
@with_common
@click.option("--allow-invalid", is_flag=True, help="Load even if the data has SHACL violations.")
@click.option(
    "--to",
    "to",
    metavar="URL",
    help="Publish to the remote SPARQL store with this query URL [NEARKG_SPARQL_ENDPOINT].",
)
@click.option(
    "--wait",
    "wait_seconds",
    type=click.FloatRange(0),
    default=300,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for another load publishing to the same --store.",
)
def load(data_dir, store, base, allow_invalid, to, wait_seconds):
    """Parse every Turtle file into its own named graph, validate it, and report; with --to,
    publish it to a remote SPARQL store."""
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=False)
    settings = _settings(data_dir, store, base, sparql_endpoint=to)
    started = time.perf_counter()

    def say(line: str) -> None:
        console.print(line, markup=False, highlight=False, soft_wrap=True)

    signal.signal(signal.SIGTERM, _interrupted)  # cleaned up as after Ctrl-C

    try:
        knowledge = _open_store(
            settings,
            allow_invalid=allow_invalid,
            console=console,
            say=say,
            wait_seconds=wait_seconds,
        )
    except LoadError as error:
        _fail(error)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the partial generation is gone, lock released
        click.echo("error: interrupted: nothing was published", err=True)
        sys.exit(130)
    snapshot = knowledge.snapshot
    table = Table(title="Loaded graphs")
    for column in ("graph", "file", "triples"):
        table.add_column(column, justify="right" if column == "triples" else "left")
    for info in snapshot.graphs:
        table.add_row(info.iri, info.file or "(made by the load)", f"{info.triples:,}")
    console.print(table)
    if allow_invalid and snapshot.validation is not None and snapshot.validation.has_violations:
        console.print("[yellow]warning: loaded with --allow-invalid despite SHACL violations")
    where = knowledge.backend.describe_location()
    console.print(
        f"{snapshot.default_graph_triples:,} triples in the default graph "
        f"({snapshot.triples:,} of data and ontology), {len(snapshot.graphs)} graphs, "
        f"{where}, in {time.perf_counter() - started:.2f} s"
    )


@main.command(
    epilog="""\b
Examples:
  nearkg serve
  nearkg load --store var/store && nearkg serve --port 9000 --workers 4 --store var/store
  nearkg serve --server gunicorn --access-log
The store is loaded once, before the workers start, and shared by them. With --store the
server serves what `nearkg load` published there (never publishing itself) and follows later
publications; /healthz says "degraded" with the reason when the published data cannot be
served as published.

Web workers past NEARKG_WORKER_MEMORY_MB (default 1024) of resident memory are replaced by a
fresh fork (Granian; checked every NEARKG_WORKER_MEMORY_CHECK_SECONDS).

Exit codes: 0 stopped, 1 the published data has SHACL violations (--allow-invalid serves it),
2 unreadable or malformed files, 5 the address is in use (or not allowed), 78 the server
cannot run as configured (no query sandbox; a worker memory bound below what a worker starts
with; a malformed setting)."""
)
@with_common
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to bind.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--server",
    "server_name",
    type=click.Choice(["granian", "gunicorn"]),
    default="granian",
    show_default=True,
    help="The HTTP server running the workers.",
)
@click.option(
    "--access-log",
    is_flag=True,
    help="Write a line per request to standard output (costs throughput; off by default).",
)
@click.option("--allow-invalid", is_flag=True, help="Serve even if the data has SHACL violations.")
@click.option(
    "--reuse-port",
    is_flag=True,
    help="Share the port with Granian servers already listening on it (SO_REUSEPORT); "
    "by default a port in use is refused.",
)
@click.option("--verbose", is_flag=True, help="Also show the HTTP server's own start-up messages.")
def serve(
    data_dir,
    store,
    base,
    host,
    port,
    workers,
    server_name,
    access_log,
    allow_invalid,
    reuse_port,
    verbose,
):
    """Serve the linked-data site and SPARQL endpoint (Granian or gunicorn).

    Queries and updates run in processes the kernel keeps off the network (Landlock, seccomp);
    where it cannot, serve refuses to start (exit 78) unless NEARKG_UNSANDBOXED_QUERIES=true
    (see SECURITY.md)."""
    from rich.console import Console

    from service.app import build_shared_indexes, create_app
    from service.server import run

    console = Console(stderr=True)
    settings = _settings(data_dir, store, base)
    _refuse_busy_address(host, port, reuse_port)  # before the load; again before binding
    _check_sandbox(settings, console)
    try:
        knowledge = _open_store(settings, allow_invalid=allow_invalid, console=console, fresh=False)
    except LoadError as error:
        _fail(error)
    if allow_invalid:
        console.print("[yellow]serving with --allow-invalid: data may break the shapes")
    app = create_app(settings, store=knowledge)
    app.config["NEARKG_WORKERS"] = workers  # SPARQL Update needs a single worker
    build_shared_indexes(knowledge)  # built once here, shared by the forked workers
    knowledge.release()
    _check_worker_memory(settings, server_name, console)
    console.print(
        f"near-kg: {knowledge.snapshot.triples:,} triples "
        f"{knowledge.backend.describe_location()}, http://{host}:{port}/"
    )
    _refuse_busy_address(host, port, reuse_port)
    run(
        app,
        server=server_name,
        host=host,
        port=port,
        workers=workers,
        settings=settings,
        access_log=access_log,
        verbose=verbose,
    )


# a worker starts as big as the master; below this share of the bound it has room to work
WORKER_START_SHARE = 0.8


def _check_worker_memory(settings: Settings, server_name: str, console) -> None:
    """Refuse a worker memory bound the workers would pass as they start (Granian would replace
    them over and over), and say where it is not enforced (gunicorn)."""
    from loaders.memory import resident_mb

    bound = settings.worker_memory_mb
    if not bound:
        return
    if server_name == "gunicorn":
        console.print(
            f"near-kg: NEARKG_WORKER_MEMORY_MB ({bound}) is enforced by Granian only",
            soft_wrap=True,
        )
        return
    start = resident_mb()
    if math.isnan(start):  # no /proc: Granian's own check still holds the bound
        return
    if start >= bound * WORKER_START_SHARE:
        click.echo(
            f"error: a web worker starts with {start:.0f} MB (the data's indexes), which leaves "
            f"no room under NEARKG_WORKER_MEMORY_MB={bound}: raise it to at least "
            f"{start / WORKER_START_SHARE:.0f}, or set 0 for no bound",
            err=True,
        )
        sys.exit(EX_CONFIG)
    console.print(
        f"near-kg: web workers start at {start:.0f} MB, replaced past {bound} MB",
        soft_wrap=True,
    )


def _refuse_busy_address(host: str, port: int, reuse_port: bool) -> None:
    from service.server import AddressUnavailable, check_address_free

    if reuse_port:
        return
    try:
        check_address_free(host, port)
    except AddressUnavailable as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)


def _check_sandbox(settings: Settings, console) -> None:
    """Refuse to serve where the kernel cannot take the network away from query processes
    (unless NEARKG_UNSANDBOXED_QUERIES accepts the risk); see service.sparql.sandbox."""
    from service.sparql import sandbox

    may_serve, line = sandbox.check_at_start(
        federation=bool(settings.federation_allow), accept_risk=settings.unsandboxed_queries
    )
    if not may_serve:
        click.echo(f"error: {line}", err=True)
        sys.exit(sandbox.UNSAFE_EXIT)
    console.print(f"[bold red]{line}" if line.startswith("WARNING") else f"near-kg: {line}")


# --format choices of `nearkg query` and `nearkg export`: the format registry's names
QUERY_FORMATS: dict[str, Format | None] = {
    "table": None,
    **{f.name: f for f in (*formats.SPARQL_RESULTS, *formats.SPARQL_GRAPH)},
}
EXPORT_FORMATS: dict[str, Format] = {f.name: f for f in formats.DATASET}


@main.command(
    epilog="""\b
Examples:
  nearkg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
  nearkg query sparql/members-per-country.rq --format csv
  nearkg query conference-participants --param conference=https://w3id.org/near/id/conference/1995
With --store, the query reads what `nearkg load` published there (never publishing); a warning
says when the files in --data-dir differ from it.
Exit codes: 0 answered, 2 a malformed query or unreadable files."""
)
@with_common
@click.argument("query")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(QUERY_FORMATS)),
    default=None,
    help="Output format (default: a table for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE).",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a saved query's parameter (repeatable).",
)
def query(data_dir, store, base, query, fmt, params):
    """Run a SPARQL query: a query string, a .rq file, or the name of a saved query."""
    from rich.console import Console

    from service.cli import query_output

    settings = _settings(data_dir, store, base)
    console = Console(stderr=True)
    try:
        text, substitutions = query_output.resolve_query(query, params, settings)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    try:
        knowledge = _open_store(settings, allow_invalid=True, console=console, fresh=False)
    except LoadError as error:
        _fail(error)
    try:
        result = knowledge.query(text, substitutions=substitutions)
    except SyntaxError as error:
        click.echo(f"error: malformed query: {error}", err=True)
        sys.exit(2)
    query_output.write(result, fmt, sys.stdout.buffer)


@main.command(
    epilog="""\b
Examples:
  nearkg export --format nquads --output near.nq
  nearkg export --format turtle > near.ttl
With --store, the published data is written (a warning says when the files differ from it).
Exit codes: 0 written, 2 unreadable files, 4 the output cannot be written."""
)
@with_common
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_FORMATS)),
    default="nquads",
    show_default=True,
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
def export(data_dir, store, base, fmt, output):
    """Write the whole dataset (data and ontology graphs)."""
    from rich.console import Console

    settings = _settings(data_dir, store, base)
    try:
        knowledge = _open_store(
            settings, allow_invalid=True, console=Console(stderr=True), fresh=False
        )
    except LoadError as error:
        _fail(error)
    rdf_format = EXPORT_FORMATS[fmt].rdf
    try:
        if output:
            with open(output, "wb") as handle:
                knowledge.export(handle, rdf_format)
        else:
            knowledge.export(sys.stdout.buffer, rdf_format)
    except OSError as error:
        _cannot_write(output or "standard output", error)


EPILOG_INGEST = """\b
Examples:
  nearkg ingest data/sources/001_69d2c7127d6cf458.txt --out data/turtle/conferences/1995.ttl
  nearkg ingest page.txt --lang mn --strict          # Turtle on standard output
Headings are recognised through loaders/page_headings.toml (one table per language). Printed
names are matched as search matches them (docs/names.md): one taken in another script,
romanization or near spelling is reported; one that matches no region with certainty is
reported with its line and best candidates (an error with --strict). Nothing is written unless
the page is read and the RDF conforms to the shapes.
A page that was not read whole (cut short, a stray heading, a country without its list, listed
0 of N, not UTF-8) is refused with the line; an existing --out file is then left as it was.
Exit codes: 0 written, 1 unmatched names with --strict or SHACL violations, 2 unreadable or
incomplete page, 4 the output cannot be written."""


@main.command(
    epilog="""\b
Examples:
  nearkg validate                      # one line per result, then a summary by shape
  nearkg validate --format turtle > report.ttl
  nearkg validate --timing --engine both   # fast path and pyshacl, timed and compared
Exit codes: 0 no violations (warnings and info allowed), 1 violations, 2 unreadable files."""
)
@with_common
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json"]),
    default="text",
    show_default=True,
    help="The report for people (text) or programs (turtle, json).",
)
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl", "both"]),
    default="fast",
    show_default=True,
    help="The SPARQL fast path, the pyshacl reference, or both (compared).",
)
@click.option("--timing", is_flag=True, help="Print how long validation took, per phase.")
def validate(data_dir, store, base, fmt, engine, timing):
    """Validate the data against the SHACL shapes and print the report."""
    from rich.console import Console

    from service.cli.validation_report import run_validation

    settings = _settings(data_dir, None, base)
    console = Console(stderr=True)
    try:
        knowledge = _open_store(settings, allow_invalid=True, console=console)
    except LoadError as error:
        _fail(error)
    outcome = run_validation(knowledge.snapshot, engine, settings.data_dir)
    report = outcome.report
    text = {"text": report.to_text, "turtle": report.to_turtle, "json": report.to_json}[fmt]()
    click.echo(text, nl=not text.endswith("\n"))
    if timing:
        for line in outcome.timing_lines():
            click.echo(line, err=True)
    if outcome.disagreement:
        click.echo(f"error: the engines disagree: {outcome.disagreement}", err=True)
        sys.exit(3)
    sys.exit(1 if report.has_violations else 0)


@main.command(epilog=EPILOG_INGEST)
@click.argument("page", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--lang",
    "language",
    default="auto",
    show_default=True,
    help="The page's language (en, mn, ... any language of the heading table), or auto.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Turtle file to write (default: standard output).",
)
@click.option(
    "--strict", is_flag=True, help="Fail when a printed name matches no entity or several."
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder holding data/turtle/ (names are matched there) and shapes/ [NEARKG_DATA_DIR].",
)
def ingest(page, language, out, strict, data_dir):
    """Turn a NEAR conference page into RDF, matching printed names to regions."""
    from loaders.conference_page import PageError
    from loaders.ingest import IngestError, ingest_page, write_atomically

    settings = _settings(data_dir, None, None)
    try:
        result = ingest_page(page, settings.data_dir, language=language, strict=strict)
    except PageError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    except IngestError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    try:
        if out is None:
            sys.stdout.buffer.write(result.graph.serialize(format="turtle", encoding="utf-8"))
        else:
            write_atomically(result.graph, out)
    except OSError as error:
        _cannot_write(out or "standard output", error)
    click.echo(result.summary(), err=out is None)
    if out is not None:
        click.echo(f"wrote {len(result.graph)} triples to {out}")


if __name__ == "__main__":  # pragma: no cover
    main()

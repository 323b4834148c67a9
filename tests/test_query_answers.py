"""What a query process sends back through its pipe: plain data the web worker reads without
running anything (service.sparql.engine: _send_answer, _recv_answer), on a real pipe."""

from __future__ import annotations

import multiprocessing
import pickle

import pytest

from service.sparql.engine import _recv_answer, _send_answer
from service.sparql.results import Result


@pytest.fixture
def pipe():
    worker, process = multiprocessing.Pipe()
    yield worker, process
    worker.close()
    process.close()


class Ran(Exception):
    pass


def _would_run() -> None:
    raise Ran("the worker ran code a query process sent")


class Payload:
    """Unpickling this calls _would_run: what a taken-over process could try."""

    def __reduce__(self):
        return (_would_run, ())


@pytest.mark.parametrize(
    "value",
    [
        Result("graph", b"", None, (), 2, True, 2, rendered=b"<a> <b> <c> .\n", media_type="x/y"),
        Result("solutions", b'{"head":{"vars":["s"]}}', None, ("s",), 0, False, 10),
        Result("boolean", boolean=True),
        b"<a> <b> <c> <g> .\n",
        "a message",
    ],
)
def test_answers_cross_as_they_were(pipe, value):
    worker, process = pipe
    _send_answer(process, "ok", value)
    status, got = _recv_answer(worker)
    assert status == "ok"
    assert got == value
    if isinstance(value, Result):
        assert got.rendered == value.rendered  # None stays None, bytes stay bytes


@pytest.mark.parametrize(
    "sent",
    [
        pickle.dumps(("ok", Payload())),
        b"\x00\x00\x00\x05[1,2]",
        b"\x00\x00\x00\x40" + b"x" * 10,
        b"",
    ],
    ids=["a-pickle", "wrong-shape", "short", "empty"],
)
def test_anything_else_is_refused_without_running_it(pipe, sent):
    worker, process = pipe
    process.send_bytes(sent)
    with pytest.raises(EOFError, match="unreadable answer"):
        _recv_answer(worker)

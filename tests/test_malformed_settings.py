"""A malformed setting in the environment is refused by name (exit 78), never a traceback.

Data-driven: each row is a variable and a value its setting does not take; the real ``nearkg``
command is run with it.
"""

from __future__ import annotations

import pytest

from .conftest import nearkg

MALFORMED = [
    ("NEARKG_WORKER_MEMORY_MB", "abc"),
    ("NEARKG_WORKER_MEMORY_MB", "-5"),
    ("NEARKG_WORKER_MEMORY_CHECK_SECONDS", "1.5"),
    ("NEARKG_QUERY_MEMORY_MB", "lots"),
    ("NEARKG_CACHE_BYTES", "-1"),
    ("NEARKG_QUERY_TIMEOUT", "nan"),
    ("NEARKG_BODY_TIMEOUT", "-3"),
    ("NEARKG_RESULT_LIMIT", "1e999"),
]


@pytest.mark.parametrize(("variable", "value"), MALFORMED)
@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["load"]])
def test_a_malformed_setting_is_refused_by_name(variable, value, command):
    result = nearkg(*command, env={variable: value}, timeout=120)
    assert result.returncode == 78, result.stderr[-2000:]
    assert f"{variable}={value!r}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout

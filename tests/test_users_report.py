"""The side-by-side report (benchmarks/users_report.py) from a results record: the figures it
is given, the ratios the targets name, and a crawl-once pass cut short marked as such."""

from __future__ import annotations

from benchmarks import users_report


def _figure(rps: float, cpu_us: float, requests: int = 1000, **more) -> dict:
    return {"rps": rps, "cpu_us": cpu_us, "requests": requests, "errors": 0, **more}


def _size() -> dict:
    return {
        "label": "1M",
        "users": {
            "entities": 120_000,
            "workloads": {"crawl-ttl": {}, "crawl-html": {}},
            "servers": {
                "nearkg_uncached": {
                    "crawl-ttl": _figure(3000, 400),
                    "crawl-html": _figure(900, 1500),
                },
                "nearkg": {
                    "crawl-html once": _figure(500, 0, requests=30_000, of=120_000),
                    "crawl-ttl once": _figure(2500, 0, requests=120_000, of=120_000),
                },
                "bare": {"crawl-ttl": _figure(4000, 350)},
                "oxigraph": {"crawl-ttl": _figure(12_000, 150)},
            },
        },
    }


def test_ratios_are_of_the_figures_given():
    found = dict(users_report.ratios(_size()["users"]))
    assert found["entity Turtle, first time ÷ bare app (≥ 0.9)"] == 3000 / 4000
    assert found["entity HTML, first time ÷ bare app's Turtle (≥ 0.6)"] == 900 / 4000
    assert found["entity Turtle, first time ÷ Oxigraph CONSTRUCT (≥ 0.5 at 1M)"] == 0.25
    by_cpu = dict(users_report.ratios(_size()["users"], by_cpu=True))
    assert by_cpu["entity Turtle, first time ÷ bare app (≥ 0.9)"] == 350 / 400
    assert found["entity Turtle, first time, after ÷ before"] is None  # no --before run


def test_a_crawl_pass_cut_short_says_how_far_it_got():
    lines = "\n".join(users_report.markdown({"sizes": [_size()]}))
    assert "500 (30,000 of 120,000, cut by --once-seconds)" in lines
    assert "2,500 |" in lines and "2,500 (" not in lines  # a whole pass is not marked

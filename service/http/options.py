"""OPTIONS on a resource that does not exist is 404, as GET would be.

Flask answers OPTIONS itself from the route alone (``provide_automatic_options``): 200 with
``Allow`` on ``/graph/x`` and ``/queries/x`` as on real ones, without asking the route whether
the resource exists. A route whose path has no variable (``/``, ``/def``, ``/search``) always
has its resource; for one with variables (``/doc/<kind>/<name>``, ``/queries/<name>``,
``/static/<path>``...) the route's own function is asked, as a HEAD asks it: what it answers
with 404 or 410, OPTIONS answers too; anything else (a page, a 303, a 400 for a missing
parameter, a 406 for the preflight's Accept) exists, and Flask's automatic answer follows
(``Allow``, and the CORS preflight's headers from it: service.app). The route's function runs
as for a GET, so a preflight costs what the GET costs; browsers keep a preflight's answer for
a day (``Access-Control-Max-Age``).
"""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

NOT_THERE = (404, 410)


def answer_if_missing(app: Flask, method: str, rule: Rule | None, args: dict | None):
    """The 404 (or 410) a GET of this resource would get, for an automatic OPTIONS; None when
    the resource exists (Flask then answers the OPTIONS with ``Allow``). Called by the app's
    hook (service.app) with the request's method, matched rule and path variables."""
    if (
        method != "OPTIONS"
        or rule is None
        or not getattr(rule, "provide_automatic_options", False)
        or not args
    ):
        return None
    try:
        view = app.ensure_sync(app.view_functions[rule.endpoint])  # as Flask dispatches
        answer: Response = app.make_response(view(**args))
    except HTTPException as error:
        if error.code in NOT_THERE:
            raise  # the one error handler answers it, as for the GET
        return None
    except Exception:  # noqa: BLE001 - the GET would fail otherwise, not for want of the resource
        return None
    if answer.status_code in NOT_THERE:
        return answer
    answer.close()  # a file the route opened (a dump, a static file) is closed unread
    return None

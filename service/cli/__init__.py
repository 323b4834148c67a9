"""The ``nearkg`` command (``commands``) and its helpers; no Flask in them."""

from service.cli.commands import main

__all__ = ["main"]

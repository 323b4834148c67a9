"""``python -m service.cli``."""

from service.cli.commands import main

main()

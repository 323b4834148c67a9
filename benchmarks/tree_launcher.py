"""``nearkg`` from another checkout of the repository (``benchmarks.run --users --before``):

    python benchmarks/tree_launcher.py /path/to/checkout serve ...

The editable install's import hook maps ``service`` and ``loaders`` to this working tree; it is
taken out so that the other checkout's code answers (the same run measures before and after a
change). Granian's workers are forked, so they keep what was imported here.
"""

import sys

if __name__ == "__main__":
    tree = sys.argv.pop(1)
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
    sys.path.insert(0, tree)
    from service.cli import main

    sys.argv[0] = "nearkg"
    main()

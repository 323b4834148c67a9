"""Figures drawn from the live data (issue 12).

Modules: ``text`` the words in six languages, ``svg`` a small escaping SVG writer, one module
per chart (``timeline_chart``, ``matrix_chart``, ``bar_chart``, ``network_chart``), ``catalog``
which chart draws which figure, ``exports`` CSV and JSON, ``views`` the routes. The data comes
from ``loaders.figure_data`` (the saved queries) and ``loaders.figure_models``.
"""

"""The browsable site: the home page, lists and search, and the interface's own words."""

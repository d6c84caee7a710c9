"""One date format per language for every page: the short and long forms are the same.

Django looks here first (FORMAT_MODULE_PATH) and falls back on its own formats for the rest
(input formats, separators).
"""

"""Plain-Python ML code for Parlure: model assembly, the register classifier, benchmarks.

Nothing in this package imports Django; Django code calls into it, never the other way round.
"""

"""Hamlet node agent: keeps its signed plan, prefetches media and plays on time."""

__version__ = "0.1.0"

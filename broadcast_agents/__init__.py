"""Hamlet node agent: keeps its signed plan, prefetches media and plays on time."""

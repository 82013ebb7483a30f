"""Scheduling: recurrence, the Vietnamese holiday calendar, conflicts and per-node plans."""

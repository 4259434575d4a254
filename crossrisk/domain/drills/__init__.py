"""Drills: a scenario file and its replay on a virtual clock (DESIGN §3.11)."""

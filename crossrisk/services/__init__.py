"""Use cases: the one path by which anything changes (DESIGN §4)."""

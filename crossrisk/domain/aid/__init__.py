"""Mutual aid's values and rules (DESIGN §3.4 base information, §3.5 mutual aid)."""

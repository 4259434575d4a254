"""Mutual aid's pages: the hub, the catalogue and the emergency stocks."""

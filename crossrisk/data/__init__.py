"""Bundled regions and policy tables."""

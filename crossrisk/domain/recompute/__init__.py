"""The record rebuilt from the journal, and the figures compared (DESIGN §3.10)."""

"""Durations as a plan writes its deadlines; they are read in domain/durations.py, which
drill scenarios and the YAML node checks share, and named here as plans first found them."""

from crossrisk.domain.durations import MAX_MINUTES, format_minutes, parse_minutes

__all__ = ["MAX_MINUTES", "format_minutes", "parse_minutes"]

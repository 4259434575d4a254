"""Contingency plans (风险防控预案): activation conditions and the duty template by role."""

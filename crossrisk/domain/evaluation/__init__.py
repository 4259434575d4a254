"""Evaluation (DESIGN §3.6): metrics computed from the journal, and after-action reviews."""

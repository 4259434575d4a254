"""Evaluation from the record (DESIGN §3.6): assessments, scorecards and their figures."""

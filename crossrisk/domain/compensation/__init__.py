"""Compensation rules (DESIGN §3.8): who pays whom, by a published rule, with its inputs.

Pure functions only: cost games and their Shapley value, the river-sharing closed forms,
the Xin'an-type water-quality rule, and the cost-sharing rules whose result is a settlement
of transfers. The formulas and their sources are in docs/compensation.md.
"""

"""crossrisk: cross-jurisdiction risk governance for neighbouring cities."""

__version__ = "0.1.0"

"""Early warnings on the wire: CAP 1.2 rendering, parsing and validation (DESIGN §3.4)."""

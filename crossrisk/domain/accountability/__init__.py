"""Accountability (DESIGN §3.7): findings drawn from the record and the cases they open."""

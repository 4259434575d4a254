"""Trust (DESIGN §3.9): members' scores from the evidence of what they did."""

"""`python -m crossrisk` runs the command line."""

from crossrisk.cli import main

main()

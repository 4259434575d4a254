"""`python -m bench` (or `make bench`): run every benchmark and print the report."""

from bench import journal, origins
from bench.report import print_report

print_report([origins.run(), journal.run()])

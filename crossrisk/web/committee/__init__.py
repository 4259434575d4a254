"""The committee's standing work: its pages."""

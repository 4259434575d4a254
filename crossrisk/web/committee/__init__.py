"""The committee's standing work: agreements, contingency plans, annual plan, meetings."""

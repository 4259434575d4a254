"""Repositories: load and save domain values, hiding the ORM from services."""

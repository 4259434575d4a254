"""The channels page: how an organisation's warnings reach it."""

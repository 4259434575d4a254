"""The drill pages: the list (start a bundled scenario or upload one) and a drill's record."""

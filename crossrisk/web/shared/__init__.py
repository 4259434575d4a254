"""Shared page machinery: rendering, languages and labels, and the directory of names."""

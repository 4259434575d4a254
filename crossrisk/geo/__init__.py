"""Spatial computation: hazard geometry, jurisdiction index, propagation models."""

"""Trust score pages (issue 15): the region's members and one member's evidence."""

"""Warning pages: the inbox, warning tables and rows, and the acknowledgement link page."""

"""Account pages: logging in and out, the language switch, and who is behind a page."""

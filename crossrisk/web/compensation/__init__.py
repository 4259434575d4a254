"""A risk's compensation page: its cost ledger and its settlement statements side by side."""

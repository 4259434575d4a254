"""The "My duties" page: an organisation's duties, with their deadlines and what became of them."""

"""The regional map page and the data it draws."""

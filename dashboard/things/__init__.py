"""The Things page: the list of things, one thing, and its properties."""

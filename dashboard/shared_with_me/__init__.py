"""The "Shared with me" page."""

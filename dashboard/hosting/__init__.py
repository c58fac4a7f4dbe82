"""What several app processes share when a class is hosted: sign-ins, refresh locks,
upload journals and "something changed" versions, in files (one machine) or Redis."""

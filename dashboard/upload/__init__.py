"""The Upload page: one value, a few rows, or a CSV file, each checked before writing."""

"""The Explore page: its controls and address, the data it fetches, and the charts."""

"""Explore: interactive charts of property values, fast at any range."""

from dashboard.explore_ui import explore_page
from dashboard.gate import require_sign_in

require_sign_in()
explore_page()

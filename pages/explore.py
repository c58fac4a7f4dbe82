"""Explore: interactive charts of property values, fast at any range."""

from dashboard.explore.page import explore_page
from dashboard.signin.gate import require_sign_in

require_sign_in()
explore_page()

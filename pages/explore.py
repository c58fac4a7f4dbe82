"""Explore: interactive charts of property values, fast at any range."""

from dashboard.explore.page import explore_page
from dashboard.router import guard
from dashboard.signin.page import require_sign_in

guard()
require_sign_in()
explore_page()

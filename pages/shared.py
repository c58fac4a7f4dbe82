"""Shared with me: properties other people shared with this user."""

from dashboard.router import guard
from dashboard.shared_with_me.page import shared_with_me_page
from dashboard.signin.page import require_sign_in

guard()
require_sign_in()
shared_with_me_page()

"""Shared with me: properties other people shared with this user."""

from dashboard.shared_with_me.page import shared_with_me_page
from dashboard.signin.gate import require_sign_in

require_sign_in()
shared_with_me_page()

"""Boards: saved dashboards of panels, kept in the person's own Bucket."""

from dashboard.boards.page import boards_page
from dashboard.router import guard
from dashboard.signin.page import require_sign_in

guard()
require_sign_in()
boards_page()

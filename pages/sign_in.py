"""Sign in with Bucket."""

from dashboard.router import guard
from dashboard.signin.page import draw_sign_in

guard()
draw_sign_in()

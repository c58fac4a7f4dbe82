"""Sign in with Bucket."""

from dashboard.signin.page import draw_sign_in

draw_sign_in()

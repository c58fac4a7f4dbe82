"""Sign in with Bucket."""

from dashboard.signin_ui import draw_sign_in

draw_sign_in()

"""Upload: values by form, grid or CSV file, verified and resumable."""

from dashboard.router import guard
from dashboard.signin.page import require_sign_in
from dashboard.upload.page import upload_page

guard()
require_sign_in()
upload_page()

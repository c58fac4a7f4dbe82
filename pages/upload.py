"""Upload: values by form, grid or CSV file, verified and resumable."""

from dashboard.signin.gate import require_sign_in
from dashboard.upload.page import upload_page

require_sign_in()
upload_page()

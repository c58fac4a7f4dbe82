"""Upload: values by form, grid or CSV file, verified and resumable."""

from dashboard.gate import require_sign_in
from dashboard.upload_ui import upload_page

require_sign_in()
upload_page()

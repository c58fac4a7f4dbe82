"""Phone as a sensor: stream a phone's motion and location into Bucket."""

from dashboard.phone_sensor.page import phone_sensor_page
from dashboard.signin.gate import require_sign_in

require_sign_in()
phone_sensor_page()

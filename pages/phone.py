"""Phone as a sensor: stream a phone's motion and location into Bucket."""

from dashboard.phone_sensor.page import phone_sensor_page
from dashboard.router import guard
from dashboard.signin.page import require_sign_in

guard()
require_sign_in()
phone_sensor_page()

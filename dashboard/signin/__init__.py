"""Signing in: the HTTP routes of the OAuth dance, the session cookie and store, the gate
every page passes, and the sign-in page."""

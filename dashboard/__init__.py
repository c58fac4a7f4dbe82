"""Shared Streamlit code of Bucket Dashboard: configuration, sign-in, gate, charts, forms.

Pages import from here; nothing here imports a page. ``bucket_client`` does the HTTP.
"""

"""The Streamlit app's code, grouped by what the user sees: ``signin`` (signing in and the
session), ``things``, ``explore`` and ``upload`` (one package per page), and ``shared``
(settings, cached data, the embedded sandbox, messages, words and zones)."""

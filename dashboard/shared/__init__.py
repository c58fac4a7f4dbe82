"""What every page uses: settings, cached data, the embedded sandbox, the ASGI routes,
the sidebar, messages for errors, words and numbers, the browser's time zone."""

"""Streamlit's entry script (``streamlit run app.py`` serves it; AppTest runs it directly):
the router and gate, ``dashboard/router.py``, on every page run."""

from dashboard.router import route

route()

"""What Explore says when a range holds nothing: where the newest value is (choose a longer
range), that the property is empty (and who can fill it), or, on a Bucket with history, that
its points were written under a dimension name its type has since lost."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from bucket_client import BucketError, Property
from dashboard.explore import data as explore_data
from dashboard.explore.spans import load_span
from dashboard.shared.text import ago, count_of, plain


def hint_latest(props: list[Property]) -> None:
    for prop in props:
        span = load_span(prop)
        if span is None:
            st.info(no_values_said(prop))
            continue
        last = pd.Timestamp(span[1], unit="ms", tz="UTC")
        st.info(
            f"{plain(prop.name)}: the newest value is from {ago(last.to_pydatetime())}. "
            "Choose **All data** or a longer range."
        )


def no_values_said(prop: Property) -> str:
    """Why a property shows nothing at all: it is empty, or (on a Bucket with history) its
    points were written under a dimension name its type has since lost, which Bucket's
    values route no longer selects; and only its owner can add values."""
    try:
        held = explore_data.client_for(prop).stored_count(prop.thing_id, prop.id)
    except BucketError:
        held = 0
    name = plain(prop.name)
    if held:
        return (
            f"{name} holds {count_of(held, 'point')} Bucket no longer reads: they were written "
            "before a dimension of its type was renamed (a type that reused the dimension's id "
            "renamed it for every type), and Bucket reads values by the current names."
        )
    if explore_data.is_shared(prop):
        return f"{name} has no values yet (only its owner can add them)."
    return f"{name} has no values yet: add some on the Upload page."

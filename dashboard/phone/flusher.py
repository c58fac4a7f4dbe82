"""The background pass that writes a phone's waiting samples to Bucket when no new batch
comes to do it (the phone stopped, left the page or lost its network): every process runs
it beside the server; the grant's lock makes one of them do each write."""

from __future__ import annotations

import asyncio
import logging

from dashboard.phone.streaming import flush_everything_due
from dashboard.shared.config import app_config

log = logging.getLogger(__name__)
EVERY_S = 3.0


async def flush_forever() -> None:
    while True:
        await asyncio.sleep(EVERY_S)
        try:
            config = app_config()
            if not config.problems:
                await asyncio.to_thread(flush_everything_due, config)
        except Exception as error:  # a store that is down now is up later: say, go on
            log.warning("phone samples not flushed this pass: %s", type(error).__name__)

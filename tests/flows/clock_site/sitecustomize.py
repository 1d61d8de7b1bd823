"""Put on PYTHONPATH of a flow-run process that a Prefect worker starts: Python imports
this module at start-up, and it keeps the process's request budget by a fake clock
standing at ``NARRATOR_TEST_NOW`` (ISO 8601, with a zone), so a test can run the
deployment on several budget days without waiting for them."""

import os
from datetime import datetime

if now := os.environ.get("NARRATOR_TEST_NOW"):
    from narrator.budget import FakeClock
    from narrator.engines import use_clock

    use_clock(FakeClock(datetime.fromisoformat(now)))

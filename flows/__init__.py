"""Prefect flow entrypoints. They only wire tasks together."""

import os

# Facts measured on a 2-core machine: a temporary Prefect server takes
# 13-23 s to start, against a default timeout of 20 s; and there is no network for
# telemetry. Defaults only: a user's own settings win.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Send narrator's own progress log lines to the Prefect UI as well.
os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "narrator")

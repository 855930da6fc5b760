"""The deployments `smartspec serve` serves: `refresh` on a cron schedule and `reextract` on demand.

Both run with the serving command's settings (their parameter: loaded and checked once, when
`smartspec serve` starts; restart it to apply a changed settings file) and its task runner. They are
added to a Prefect `Runner` with `add_flow`, which is what `prefect.serve(flow.to_deployment())`
does except that it keeps the flow object: runs then execute the flow as configured here
(`with_options(task_runner=...)`) rather than re-importing it, which would drop the task
runner and always extract in sequence.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from pathlib import Path
from typing import Any

from prefect.runner import Runner
from prefect.schedules import Cron

from smartspec.extractors.settings import Settings, absolute_folders
from smartspec.flows.extract_priorities import reextract, refresh, task_runner_for

logger = logging.getLogger(__name__)

REFRESH = "refresh"
REEXTRACT = "reextract"
RUNNER_NAME = "smartspec"
# A served run waits this long for another run on the same output (a scheduled refresh meeting
# a manual reextract) before it fails as locked.
SERVED_LOCK_WAIT_S = 3600.0


def deployment_parameters(settings: Settings) -> dict[str, Any]:
    """The serving command's settings as the JSON a deployment keeps, with absolute folders so
    that runs do not depend on the folder the server started in; served runs queue behind each
    other rather than fail."""
    absolute = absolute_folders(settings)
    values = {f.name: getattr(absolute, f.name) for f in dataclasses.fields(absolute)}
    return {"settings": {name: str(value) if isinstance(value, Path) else value for name, value in values.items()},
            "lock_wait_s": SERVED_LOCK_WAIT_S}


def build_runner(settings: Settings, *, cron: str, timezone: str) -> Runner:
    """A Runner with both deployments registered (this talks to the Prefect API)."""
    runner = Runner(name=RUNNER_NAME)
    task_runner = task_runner_for(settings)
    parameters = deployment_parameters(settings)
    runner.add_flow(
        refresh.with_options(task_runner=task_runner), name=REFRESH, schedule=Cron(cron, timezone=timezone),
        parameters=parameters,
        description=f"Fetch, extract and publish on schedule ({cron}, {timezone}).",
    )
    runner.add_flow(
        reextract.with_options(task_runner=task_runner.duplicate()), name=REEXTRACT, parameters=parameters,
        description="Re-fetch and re-extract the sources or regions given, ignoring the cache; run by hand.",
    )
    return runner


def serve(settings: Settings, *, cron: str, timezone: str) -> None:
    """Serve both deployments until interrupted (Ctrl-C or SIGTERM)."""
    runner = build_runner(settings, cron=cron, timezone=timezone)
    logger.info("serving %s/%s (%s, %s) and %s/%s", REFRESH, REFRESH, cron, timezone, REEXTRACT, REEXTRACT)
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        logger.info("interrupted; stopped serving")

"""Long work off the request (see `jobs.runner`): the API the packages that own the work use."""

# the view side, after the API it uses
from jobs.routes import start_and_follow  # noqa: E402
from jobs.runner import (
    KINDS,
    FileResult,
    GoTo,
    JobProblems,
    Progress,
    launch,
    percent,
    recent,
    register,
    run,
    start,
    state,
    wait_all,
    waiting_long,
)

__all__ = [
    "KINDS",
    "FileResult",
    "GoTo",
    "JobProblems",
    "Progress",
    "register",
    "launch",
    "percent",
    "recent",
    "run",
    "start",
    "start_and_follow",
    "state",
    "wait_all",
    "waiting_long",
]

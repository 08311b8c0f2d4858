"""Long work off the request (see `jobs.runner`): the API the packages that own the work use."""

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
    "state",
    "wait_all",
    "waiting_long",
]

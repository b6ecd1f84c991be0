"""Import every feature's jobs and schedules, so web, worker and scheduler know the same set."""

import importlib

# Each feature declares its jobs in its own tasks.py; list them here.
TASK_MODULES: tuple[str, ...] = ("bureau.flags.tasks", "bureau.rollups.tasks", "bureau.assessment.tasks")


def load_tasks() -> None:
    """Register the jobs and schedules of every feature."""
    for name in TASK_MODULES:
        importlib.import_module(name)

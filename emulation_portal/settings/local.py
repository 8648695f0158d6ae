"""`make run`: a developer's or a demo machine. SQLite and in-process tasks by default."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# Without a broker a scoring run (or a large export) would compute inside the request that starts
# it: the page would hang until it ends. Run it on its own thread; the page's progress polls it.
TASKS_EAGER_IN_BACKGROUND = ["scoring.tasks.scoring_run_task", "scoring.tasks.scoring_export_task"]

# Demo data, load data and benchmarks: never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405

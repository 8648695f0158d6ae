"""Queue work after the commit, by task name: services never import tasks."""

import importlib
import logging
from typing import Any

from celery import Task, current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def task_named(name: str) -> Task:  # type: ignore[type-arg]
    """The registered task `name` (`app.tasks.function`), importing its module if need be."""
    try:
        return current_app.tasks[name]
    except KeyError:
        importlib.import_module(name.rsplit(".", 1)[0])
        return current_app.tasks[name]


def enqueue_on_commit(name: str, *args: Any, **kwargs: Any) -> None:
    """Send task `name` once the surrounding transaction commits (at once outside one).

    A broker that is down must not turn a saved change into an error page: the failure is
    logged and the beat job that owns this kind of work picks it up later.
    """
    task = task_named(name)

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:  # broker down: kombu raises many kinds; the periodic job catches up
            logger.warning("could not queue %s; the periodic job will retry", name, exc_info=True)

    transaction.on_commit(send)

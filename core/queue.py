"""Queue work after the commit, by task name: services never import tasks."""

import importlib
import logging
import threading
from typing import Any

from celery import Task, current_app
from django.conf import settings
from django.db import connections, transaction

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

    # The Celery app's own configuration decides eager or not (tests and the benchmark switch
    # it at run time); the Django setting only seeds it at start-up.
    if current_app.conf.task_always_eager and name in settings.TASKS_EAGER_IN_BACKGROUND:
        transaction.on_commit(lambda: _in_background(send, name))
    else:
        transaction.on_commit(send)


def _in_background(send: Any, name: str) -> None:
    """Without a worker (development), a slow task would run inside the request that queued it
    and hold the page until it ends: run it on a thread of its own, so the page answers at once
    and shows the progress while it works."""

    def work() -> None:
        try:
            send()
        finally:
            connections.close_all()

    threading.Thread(target=work, name=f"eager:{name}", daemon=True).start()

"""Celery tasks for council sessions: thin wrappers that load ids and call a service."""

import datetime
import logging

from celery import Task, shared_task
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from . import selectors, services
from .models import CouncilSession

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=5, soft_time_limit=120, time_limit=150)
def session_files_publish_task(self: Task, session_id: int, actor_id: int | None = None) -> None:  # type: ignore[type-arg]
    """The signed PDFs of an issued decision and its minutes, after the issue's commit. Safe to
    run twice (a second run finds the files made); a failure is tried again later, and until
    then the session page offers to make them again."""
    session = CouncilSession.objects.filter(pk=session_id).first()
    if session is None:
        return
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        services.session_files_publish(actor=actor, session=session)
    except (ValidationError, PermissionDenied):
        logger.warning("files of session %s not made", session_id, exc_info=True)
    except Exception as error:  # signing, rendering, the database: try again later
        raise self.retry(exc=error, countdown=30 * (self.request.retries + 1)) from error


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def session_files_pending_task() -> int:
    """Makes the signed files of issued decisions whose queued task was lost (a broker down at
    the issue) or failed for good (celery beat, every 10 minutes); returns how many it made.
    Safe to run twice, and beside the queued tasks: a session's files are kept once."""
    made = 0
    before = timezone.now() - datetime.timedelta(minutes=5)
    for session in selectors.sessions_files_pending(before):
        try:
            services.session_files_publish(actor=None, session=session)
        except Exception:  # one session's failure does not stop the others
            logger.warning("files of session %s not made", session.pk, exc_info=True)
            continue
        made += 1
    return made

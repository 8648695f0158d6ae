"""The Celery app. Settings come from Django's, under the CELERY_ namespace.

Workers and beat run with the production settings unless DJANGO_SETTINGS_MODULE names others
(the test fixture that starts a worker sets it).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation_portal.settings.production")

app = Celery("emulation_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "subject", "read_at", "emailed_at", "email_attempts"]
    list_filter = ["emailed_at"]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Nền tảng")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import receivers

        # axes (installed before core) receives these first and marks a locked-out request.
        user_logged_in.connect(receivers.on_user_logged_in, dispatch_uid="core_sign_in")
        user_login_failed.connect(receivers.on_user_login_failed, dispatch_uid="core_refusal")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotesConfig(AppConfig):
    name = "votes"
    verbose_name = _("Biểu quyết khen thưởng")

    def ready(self) -> None:
        """The council's documents are the built-in templates an authority may replace."""
        from units.document_templates import register_built_in

        from . import documents

        for kind, path in documents.BUILT_IN_TEMPLATES.items():
            register_built_in(kind, path)

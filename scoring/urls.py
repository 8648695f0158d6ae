from .assessment_urls import urlpatterns as assessment_patterns

app_name = "scoring"
urlpatterns: list = [*assessment_patterns]  # type: ignore[type-arg]

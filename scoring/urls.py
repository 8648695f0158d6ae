from .assessment_urls import urlpatterns as assessment_patterns
from .result_urls import urlpatterns as result_patterns

app_name = "scoring"
urlpatterns: list = [*assessment_patterns, *result_patterns]  # type: ignore[type-arg]

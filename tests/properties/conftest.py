"""Hypothesis profiles for the property tests: modest by default, so the directory runs in about
two minutes on a small machine; `HYPOTHESIS_PROFILE=thorough` for a longer hunt.

Failing examples are kept in Hypothesis's `.hypothesis/` folder (it carries its own .gitignore)
and replayed first on the next run; a failure also prints the `@reproduce_failure` blob.
"""

import os

from hypothesis import HealthCheck, Phase, settings

_common = {
    "deadline": None,  # a scoring run costs tens of milliseconds of SQL; timing is not the point
    # No "explain" phase: on a failure it reruns a slow example a hundred times.
    "phases": [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("default", max_examples=40, **_common)
settings.register_profile("quick", max_examples=10, **_common)
settings.register_profile("thorough", max_examples=400, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

"""How passwords are kept: Argon2id, at the cost a small server can pay at the deadline rush."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with the minimum OWASP's Password Storage Cheat Sheet recommends (19 MiB of
    memory, 2 iterations, 1 lane) instead of Django's 100 MiB and 8 lanes: a sign-in costs about
    20 ms of CPU instead of 200 ms, which matters when every unit head signs in during the last
    hours of a window on a 2-core server. Same algorithm name, so a hash made with Django's
    parameters still verifies and is made again with these at the next sign-in (`must_update`)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

"""The hypothesis settings every fuzz test uses (tests/test_fuzz.py, tests/test_fuzz_cli.py)."""

from hypothesis import HealthCheck, settings


def fuzz_settings(n: int, *allowed: HealthCheck):
    """Settings for `n` deterministic cases, no deadline (CI machines vary), no database on disk;
    `allowed`: health checks a file knowingly trips (besides too_slow)."""
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, *allowed])  # fmt: skip

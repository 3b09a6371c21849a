"""bot/telegram_ui/throttle.py: a burst, then one warning, then silence until the bucket refills."""

from __future__ import annotations

from bot.telegram_ui.throttle import Throttle, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_one_warning_then_drops() -> None:
    throttle = Throttle(burst=3, per_minute=6, clock=Clock())
    verdicts = [throttle.check("a") for _ in range(6)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN, Verdict.DROP, Verdict.DROP]


def test_bucket_refills_at_the_rate_and_users_are_separate() -> None:
    clock = Clock()
    throttle = Throttle(burst=2, per_minute=6, clock=clock)  # one message per 10 s
    assert [throttle.check("a") for _ in range(3)] == [Verdict.ALLOW, Verdict.ALLOW, Verdict.WARN]
    assert throttle.check("b") is Verdict.ALLOW
    clock.now = 10.0
    assert throttle.check("a") is Verdict.ALLOW
    assert throttle.check("a") is Verdict.WARN  # a new flood gets a new warning


def test_idle_buckets_are_forgotten() -> None:
    clock = Clock()
    throttle = Throttle(burst=1, per_minute=1, clock=clock)
    throttle.check("a")
    clock.now = 7200
    throttle.drop_idle(3600)
    assert throttle._buckets == {}

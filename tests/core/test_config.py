"""Deployment settings read at start-up (config.py)."""

from __future__ import annotations

import logging


def test_production_without_redis_warns_that_limits_are_per_process(monkeypatch, tmp_path, caplog):
    from config import ProductionConfig

    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("RATE_LIMITS_ENABLED", raising=False)
    with caplog.at_level(logging.WARNING, logger="consultation.config"):
        ProductionConfig().init_instance(tmp_path)
    [record] = [r for r in caplog.records if r.name == "consultation.config"]
    assert "REDIS_URL is not set" in record.getMessage()
    assert "multiplied by the number of worker processes" in record.getMessage()
    caplog.clear()
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    with caplog.at_level(logging.WARNING, logger="consultation.config"):
        settings = ProductionConfig()
        settings.init_instance(tmp_path)
    assert settings.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"
    assert not [r for r in caplog.records if r.name == "consultation.config"]

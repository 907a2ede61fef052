"""Consultation: online public consultations on draft texts."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None) -> Flask:
    """Build the application.

    `config` is a configuration name ("development", "test", "production"), a `Config`
    instance, or a dict of overrides applied on top of the environment's configuration.
    """
    from config import Config, load_config
    from consultation import setup

    overrides: dict = {}
    if isinstance(config, dict):
        overrides, config = config, None
    settings = config if isinstance(config, Config) else load_config(config)
    instance_path = Path(os.environ.get("INSTANCE_PATH") or ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    settings.init_instance(instance_path)
    app.config.from_object(settings)
    app.config.update(overrides)
    setup.init_app(app)
    return app

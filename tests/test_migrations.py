"""The migrations build the same schema as the models, on an empty database."""

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from consultation import create_app
from consultation.extensions import db
from consultation.search.models import declared_by_the_models

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    base = os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text("DROP DATABASE IF EXISTS consultation_migrations"))
        connection.execute(sa.text("CREATE DATABASE consultation_migrations"))
    yield base.rsplit("/", 1)[0] + "/consultation_migrations"
    with admin.connect() as connection:
        connection.execute(sa.text("DROP DATABASE IF EXISTS consultation_migrations WITH (FORCE)"))
    admin.dispose()


def test_upgrade_on_empty_database_matches_the_models(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_name": declared_by_the_models}
            )
            diff = compare_metadata(context, db.metadata)
            tables = set(sa.inspect(connection).get_table_names())
        db.engine.dispose()
    assert diff == []
    assert {"users", "institutions", "consultations", "notices", "articles", "paragraphs"} <= tables


def test_every_migration_can_be_undone_and_replayed(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as connection:
            assert "article_votes" in sa.inspect(connection).get_table_names()
        db.engine.dispose()


def test_migrations_keep_existing_data(empty_database_url):
    """Upgrading a database that holds accounts, consultations and votes loses nothing
    (SQLite rebuilds tables in batch mode: foreign keys must survive it)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="b8a537f89183")
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO institutions (id, slug, name, created_at) VALUES (1, 'min', 'Ministère', '2026-01-01')"
                )
            )
            connection.execute(
                sa.text(
                    "INSERT INTO users (id, email, display_name, role, institution_id, session_nonce, created_at)"
                    " VALUES (1, 'orga@example.org', 'Orga', 'organiser', 1, 'n', '2026-01-01')"
                )
            )
            connection.execute(
                sa.text(
                    "INSERT INTO consultations (id, slug, institution_id, title, summary, legal_basis, created_by_id,"
                    " created_at, updated_at) VALUES (1, 'c', 1, 'C', '', 'crpa_l131_1', 1, '2026-01-01', '2026-01-01')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(sa.text("SELECT email, profile_type FROM users")).one()
            creator = connection.execute(
                sa.text("SELECT created_by_id FROM consultations")
            ).scalar()
        db.engine.dispose()
    assert tuple(row) == ("orga@example.org", "individual") and creator == 1

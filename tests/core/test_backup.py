"""`flask backup create` and `restore`: what was saved comes back, on SQLite and PostgreSQL."""

import sqlalchemy as sa

from consultation.consultations.models import Consultation
from consultation.participation import services as participation
from consultation.participation.models import Contribution


def _titles(db) -> list[str]:
    db.session.remove()
    return sorted(db.session.scalars(sa.select(Consultation.title)))


def test_backup_then_restore_brings_back_exactly_what_was_saved(
    runner, db, make_consultation, make_user, tmp_path
):
    consultation = make_consultation("open", title="Sauvegardée")
    saved = participation.submit_contribution(
        make_user(), consultation, kind="comment", body="Avant la sauvegarde."
    )
    number = saved.tracking_number
    db.session.commit()
    path = tmp_path / "sauvegarde.db"

    result = runner.invoke(args=["backup", "create", str(path)])
    assert result.exit_code == 0, result.output
    assert "Sauvegarde écrite" in result.output and path.stat().st_size > 0

    make_consultation("open", title="Ajoutée après")
    db.session.execute(sa.delete(Contribution))
    db.session.commit()
    assert _titles(db) == ["Ajoutée après", "Sauvegardée"]

    refused = runner.invoke(args=["backup", "restore", str(path)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    result = runner.invoke(args=["backup", "restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert _titles(db) == ["Sauvegardée"]
    restored = db.session.scalars(sa.select(Contribution)).all()
    assert [(c.tracking_number, c.body) for c in restored] == [(number, "Avant la sauvegarde.")]


def test_backup_refuses_to_overwrite_and_restore_refuses_what_is_not_a_backup(runner, db, tmp_path):
    existing = tmp_path / "deja.db"
    existing.write_text("un autre fichier")
    result = runner.invoke(args=["backup", "create", str(existing)])
    assert result.exit_code != 0 and "existe déjà" in result.output
    assert existing.read_text() == "un autre fichier"

    result = runner.invoke(args=["backup", "restore", str(tmp_path / "absente.db"), "--yes"])
    assert result.exit_code != 0 and "Aucune sauvegarde" in result.output

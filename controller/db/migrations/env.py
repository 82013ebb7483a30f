"""Alembic environment: runs migrations on the connection handed over by ``migrate.upgrade``.

For ``alembic revision --autogenerate`` during development, set ``TT_DATABASE_URL``.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from controller.db.models import Base

target_metadata = Base.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(os.environ.get("TT_DATABASE_URL", "sqlite:///var/truyenthanh.db"))
    with engine.begin() as conn:
        _run(conn)

"""Alembic's environment for the portal: migrates with the models' metadata.

portal.migrate runs it and hands over the connection to migrate in
`config.attributes["connection"]` (so that one transaction covers a whole upgrade);
without one it connects with the engine of the Flask app in context. Prefer
`flask --app portal db upgrade`: it also takes SQLite's foreign keys out of the way
of batch migrations and marks databases made before migrations.
"""

from alembic import context
from flask import current_app

from portal.migrate import context_options
from portal.models import Base

target_metadata = Base.metadata


def run_migrations(connection) -> None:
    """Run the migrations Alembic asked for on `connection`."""
    context.configure(connection=connection, target_metadata=target_metadata, **context_options())
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    # SQL scripts (`--sql`) are not offered: `flask db upgrade` migrates the database itself.
    raise RuntimeError("offline migrations are not supported; run `flask --app portal db upgrade`")

connection = context.config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    with current_app.extensions["portal.engine"].connect() as connection:
        run_migrations(connection)

"""Alembic environment: the URL comes from the caller (catalog.migrate) or DATABASE_URL."""
from alembic import context

from catalog.models import Base
from catalog.session import get_engine

config = context.config
url = config.attributes.get("database_url")


def run_migrations_offline() -> None:
    context.configure(url=url or get_engine().url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with get_engine(url).connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

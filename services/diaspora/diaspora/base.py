"""The diaspora database: its ORM base and the plumbing tables beside the domain's."""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from shared.plumbing import plumbing_tables

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


plumbing = plumbing_tables(Base.metadata, webhooks=True, audit=True, rules=True)

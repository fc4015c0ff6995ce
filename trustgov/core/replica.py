"""Reads that may go to a replica (docs/scaling.md).

The DfE's national reads (the grid, the RAG list, the comparison) are large, read-only and tolerate a replica's
lag of seconds: a view wrapped in ``national_read`` sends its reads to the ``replica`` database when one is
configured (DATABASE_REPLICA_URL). Everything else, every write and every read in the same request after a write,
stays on the primary, so nobody reads a record older than the one they just saved.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

REPLICA = "replica"

_national_read: ContextVar[bool] = ContextVar("trustgov_national_read", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_from_replica():
    """Within this block, reads go to the replica if there is one."""
    token = _national_read.set(True)
    try:
        yield
    finally:
        _national_read.reset(token)


def national_read(view):
    """Decorate a read-only view whose reads may come from the replica."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with reading_from_replica():
            return view(*args, **kwargs)

    wrapper.reads_from_replica = True
    return wrapper


class ReplicaRouter:
    """Reads inside ``reading_from_replica`` go to the replica when one is configured; nothing else changes."""

    def db_for_read(self, model, **hints):
        if _national_read.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: a record read from it may relate to one from the primary.
        return True if {obj1._state.db, obj2._state.db} <= {"default", REPLICA} else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary by replication; it is never migrated itself.
        return False if db == REPLICA else None

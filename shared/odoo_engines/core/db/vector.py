"""pgvector values on any pg8000 connection (native or DB-API).

`pgvector.pg8000.register_vector` only works on `pg8000.native`; the Cloud SQL connector
returns a DB-API connection. These adapters work on both: vectors go out as pgvector's
text form and come back as numpy float32 arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pg8000.dbapi
from pgvector import Vector


def to_vector_text(values: Sequence[float] | np.ndarray | Vector) -> str:
    """pgvector's text form of a sequence of floats."""
    return Vector(np.asarray(values, dtype=np.float32)).to_text()


def register_vector(conn: pg8000.dbapi.Connection) -> bool:
    """Teach `conn` to send numpy arrays/Vectors as vectors and read vectors as arrays.

    Returns False (and registers nothing) when the extension is not installed yet.
    """
    cur = conn.cursor()
    cur.execute("SELECT to_regtype('vector')::oid")
    row = cur.fetchone()
    if not row or not row[0]:
        return False
    conn.register_out_adapter(Vector, lambda v: v.to_text())
    conn.register_out_adapter(np.ndarray, lambda v: Vector(v).to_text())
    conn.register_in_adapter(row[0], lambda text: Vector.from_text(text).to_numpy())
    return True

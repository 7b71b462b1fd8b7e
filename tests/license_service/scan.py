"""Reading every row of every table, for the no-secrets-at-rest tests."""

from __future__ import annotations

from sqlalchemy import text

from license.service.models import Base


async def all_rows_text(ctx) -> str:
    await ctx.usage.flush()  # the buffered usage rows are rows too
    chunks = []
    async with ctx.sessions() as session:
        for table in [*Base.metadata.sorted_tables]:
            rows = (await session.execute(table.select())).all()
            chunks.extend(repr(tuple(row)) for row in rows)
        chunks.extend(repr(tuple(row)) for row in
                      (await session.execute(text("SELECT * FROM alembic_version"))).all())
    return "\n".join(chunks)


def secret_forms(key: str) -> list[str]:
    """The key as typed, without dashes, and its secret part alone (all but
    the prefix group that logs may show)."""
    compact = key.replace("-", "")
    return [key, compact, key[len("JDK-XXXXX-"):], compact[len("JDKXXXXX"):]]

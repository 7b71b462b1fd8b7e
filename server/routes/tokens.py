"""API tokens for scripts: created (shown once), listed, revoked."""

from typing import Annotated, Literal

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody

from ..deps import Db
from ..db.credentials import ApiToken, create_api_token, list_api_tokens, revoke_api_token
from ..errors import NotFound

Scope = Literal["read", "write"]


class NewToken(msgspec.Struct, rename="camel"):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
    scopes: Annotated[list[Scope], msgspec.Meta(min_length=1, max_length=2)] = msgspec.field(
        default_factory=lambda: ["read", "write"])


class CreatedToken(msgspec.Struct, rename="camel"):
    token: ApiToken
    secret: str  # shown this once; only its hash is stored


class TokenController(Controller):
    path = "/api/v1/tokens"
    tags = ["tokens"]

    @get(summary="List API tokens (never their secrets)")
    async def list_tokens(self, db: Db) -> list[ApiToken]:
        return await list_api_tokens(db)

    @post(summary="Create an API token; the secret is in this response only")
    async def create_token(self, db: Db, data: JSONBody[NewToken]) -> CreatedToken:
        token, secret = await create_api_token(db, data.name.strip(), sorted(set(data.scopes)))
        return CreatedToken(token=token, secret=secret)

    @delete("/{token_id:int}", summary="Revoke an API token")
    async def revoke_token(self, db: Db, token_id: FromPath[int]) -> None:
        if not await revoke_api_token(db, token_id):
            raise NotFound(f"No active API token with id {token_id}.")

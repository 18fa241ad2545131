"""``cityevents token ...``: API tokens for moderators and admins.

    cityevents token create --name alice --role moderator     # prints the token once
    cityevents token list
    cityevents token revoke alice

Only a hash of each token is stored: a token that is lost cannot be shown again; revoke it and
create another.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer
from rich.table import Table

from cityevents.commands import ERR, OUT, DbOption, user_errors

app = typer.Typer(
    help="API tokens with roles (admin, moderator) for the moderation API and /moderate.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Role(str, Enum):
    admin = "admin"
    moderator = "moderator"


@app.command()
def create(
    name: Annotated[str, typer.Option("--name", help="Who holds the token; names them in the audit log.",
                                      show_default=False)],
    role: Annotated[Role, typer.Option("--role", help="moderator: approve, reject, edit; admin: also delete.",
                                       show_default=False)],
    db: DbOption = None,
) -> None:
    """Create a token and print it, once: only its hash is kept."""
    from cityevents.catalog import open_catalog
    from cityevents.catalog.moderation import Moderation

    with user_errors(), open_catalog(db) as catalog:
        token, plain = Moderation(catalog).create_token(name, role.value)
    ERR.print(f"created {token.role} token {token.name!r}; store it now, it is not shown again:", highlight=False)
    OUT.print(plain, highlight=False)


@app.command("list")
def list_tokens(db: DbOption = None) -> None:
    """Every token: name, role, when created and last used, whether revoked (never the token)."""
    from cityevents.catalog import open_catalog
    from cityevents.catalog.moderation import Moderation

    with user_errors(), open_catalog(db) as catalog:
        tokens = Moderation(catalog).tokens()
    table = Table(header_style="bold")
    for column in ("name", "role", "created", "last used", "state"):
        table.add_column(column, overflow="fold")
    for token in tokens:
        last_used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        table.add_row(token.name, token.role, f"{token.created_at:%Y-%m-%d %H:%M}", last_used,
                      "revoked" if token.revoked else "live")
    OUT.print(table)


@app.command()
def revoke(
    name: Annotated[str, typer.Argument(help="The token's name.", show_default=False)],
    db: DbOption = None,
) -> None:
    """Revoke a token: it stops working at once."""
    from cityevents.catalog import open_catalog
    from cityevents.catalog.moderation import Moderation

    with user_errors(), open_catalog(db) as catalog:
        Moderation(catalog).revoke_token(name)
    OUT.print(f"revoked {name!r}", highlight=False)

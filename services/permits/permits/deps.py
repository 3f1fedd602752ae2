"""What the permits endpoints depend on: the rule book in force, the caller and its scopes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from permits.rulebook import rulebook
from shared.auth.deps import current_principal
from shared.auth.tokens import Principal
from shared.errors import Problem
from shared.rules import RuleBook

# Scopes of the permits service (tokens carry them; see API.md).
QUOTAS_WRITE = "permits:quotas:write"  # the ministry
APPLY = "permits:work-permits:apply"  # an employer through the portal
DECIDE = "permits:decide"  # an akimat officer (with a region claim)
FEES_WRITE = "permits:fees:write"  # the payment gateway
LABOUR_IMMIGRANTS_WRITE = "permits:labour-immigrants:write"  # a PSC operator
LABOUR_IMMIGRANT_PAYMENTS = "permits:labour-immigrants:payments"  # tax authority, gateway


def rules_in_force(service: Any) -> RuleBook:
    """The service's rule book (tests and administrators may put another in its state)."""
    rules = service.state.get("rules")
    return rules if isinstance(rules, RuleBook) else rulebook()


def _rules(request: Request) -> RuleBook:
    return rules_in_force(request.app.state.service)


RulesDep = Annotated[RuleBook, Depends(_rules)]
PrincipalDep = Annotated[Principal | None, Depends(current_principal)]


def require_any_scope(*scopes: str) -> Any:
    """A dependency admitting a caller whose token carries one of `scopes`; yields the principal."""

    def check(request: Request) -> Principal | None:
        principal = current_principal(request)
        if principal is not None and not any(principal.has(s) for s in scopes):
            raise Problem(403, "forbidden", params={"scope": " | ".join(scopes)})
        return principal

    check.__name__ = "require_" + "_or_".join(
        s.replace(":", "_").replace("-", "_") for s in scopes
    )
    return Depends(check)

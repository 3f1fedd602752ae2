"""`koshqon-token --scopes "registration:arrivals:write ..." [--region KATO] [--subject ID]`

Prints a development bearer token that the embedded default and the tests accept.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from shared.auth.tokens import issue_dev_token
from shared.kz import region_of
from shared.settings import ServiceSettings


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="koshqon-token", description="Print a development bearer token (never for production)"
    )
    parser.add_argument("--scopes", required=True, help='space-separated, e.g. "permits:decide"')
    parser.add_argument("--region", help="KATO code of the officer's region (jurisdiction)")
    parser.add_argument("--subject", default="developer", help="who the token speaks for")
    parser.add_argument("--ttl", type=int, default=12 * 3600, help="lifetime in seconds")
    args = parser.parse_args(argv)
    if args.region and region_of(args.region) is None:
        parser.error(f"--region {args.region!r} is not a KATO code of a region or city")
    secret = ServiceSettings().dev_token_secret.get_secret_value()
    token = issue_dev_token(
        secret,
        scopes=args.scopes.split(),
        subject=args.subject,
        region=args.region,
        ttl_seconds=args.ttl,
    )
    sys.stdout.write(token + "\n")


if __name__ == "__main__":
    main()

"""The diaspora rule book, loaded once from `rules.yaml`."""

from functools import cache
from importlib import resources

from shared.rules import RuleBook


@cache
def rulebook() -> RuleBook:
    return RuleBook.from_yaml(str(resources.files("diaspora").joinpath("rules.yaml")))

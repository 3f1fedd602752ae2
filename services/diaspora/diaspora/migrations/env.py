from diaspora.app import definition
from shared.migrations import run_env

run_env(definition().metadata)

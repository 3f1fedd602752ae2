from shared.migrations import run_env

from diaspora.app import definition

run_env(definition().metadata)

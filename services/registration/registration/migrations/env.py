from shared.migrations import run_env

from registration.app import definition

run_env(definition().metadata)

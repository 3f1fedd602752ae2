from shared.migrations import run_env

from permits.app import definition

run_env(definition().metadata)

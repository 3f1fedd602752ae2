from shared.migrations import run_env
from statistics_service.app import definition

run_env(definition().metadata)

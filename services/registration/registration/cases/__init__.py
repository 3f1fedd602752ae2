"""One-window cases of the foreign-worker flow: case numbers and the timeline registration keeps
from its own events and permits' work-permit events."""

"""A person's access log: who read or decided on their data, when and why."""

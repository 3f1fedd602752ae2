"""One-window cases of the kandas-family flow: case numbers and the timeline, assembled from the
service's own records (diaspora owns every step of the flow, so its records are the truth and the
timeline is right the moment a request commits)."""

"""JSON schemas, written with the SDK's typing helpers so shared fragments are defined once."""

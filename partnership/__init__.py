"""partnership: school–fire-brigade partnership agreements turned into dated term plans."""

__version__ = "0.1.0"

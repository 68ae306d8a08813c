"""Tests of partnership.views: one module per view module."""

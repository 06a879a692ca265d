"""Timpora teams and meetings; operations (independent, joint, national), results, reports."""

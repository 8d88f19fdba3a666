"""Handing families over: one family, a leaving coach's families in one step, and temporary
replacement during leave (waarneming); the new coach is notified in the app."""

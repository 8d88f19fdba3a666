"""Intake in one form: the automatic case number, the members, the duplicate check and
reopening an earlier file."""

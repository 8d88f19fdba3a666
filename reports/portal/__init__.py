"""The family's questionnaires in the family portal (settings PORTAL_URLCONFS, PORTAL_SECTIONS)."""

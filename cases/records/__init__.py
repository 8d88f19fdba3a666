"""The records rules: inzage and export, client statements, consent, destruction."""

"""Partner organisations per team and a family's referrals to them ("Partners").

The team's partners and their contact people (the coordinator keeps them), the family's
referrals with their status history, the regisseur's choice and the professionals present
at a contact. Lives in `cases`, the ground floor, because the family file and the records
rules name partners too.
"""

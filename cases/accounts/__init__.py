"""Team members' log-in: enrolment codes, recovery codes, two-factor reset, lock-outs."""

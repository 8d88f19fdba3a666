"""Research without names: a pseudonymised dataset per research project and team.

`pseudonyms` makes the keyed pseudonyms, `columns` holds every column with its codebook
entry (and the list other modules add theirs to: settings.RESEARCH_DATASET_COLUMNS),
`dataset` reads a team's trajectories into the CSV tables, `services` builds the ZIP in
the background and `views` are the researcher's pages under /onderzoek/.
"""

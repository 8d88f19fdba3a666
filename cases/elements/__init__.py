"""A team's working elements: the list (a coordinator's page), ticked on contacts."""

"""Tasks ("Mijn taken"): follow-ups with an owner and a due date, from a contact, a plan
action, a case review or by hand. (`cases.tasks` is the app's Celery tasks module.)"""

"""The demo teams and users, and how a demo database is told from a real one.

Demo families have case numbers starting with DEMO_PREFIX, which is how `seed_demo` tells a
demo database from a real one. The usernames here are the ones the two-factor exemption of
a demo machine names (settings).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from cases.models import Family, Membership, Role, Team

DEMO_PREFIX = "DEMO-"
DEMO_PASSWORD = "demo-familiekracht"  # noqa: S105 - printed and documented as demo-only

# (username, first name, last name, team, role)
DEMO_USERS = [
    ("coach-zuidoost", "Samira", "El Amrani", "Amsterdam Zuidoost", Role.COACH),
    ("coach2-zuidoost", "Jeroen", "Bakker", "Amsterdam Zuidoost", Role.COACH),
    ("psycholoog-zuidoost", "Marieke", "de Vries", "Amsterdam Zuidoost", Role.PSYCHOLOGIST),
    ("coordinator-zuidoost", "Kofi", "Mensah", "Amsterdam Zuidoost", Role.COORDINATOR),
    ("coach-denhaag", "Priya", "Ramdin", "Den Haag", Role.COACH),
    ("psycholoog-denhaag", "Thomas", "Visser", "Den Haag", Role.PSYCHOLOGIST),
    ("coordinator-denhaag", "Fatma", "Yilmaz", "Den Haag", Role.COORDINATOR),
    # Sees no family, only the research pages; a member of every team (below).
    ("onderzoeker", "Lotte", "Jansen", "Amsterdam Zuidoost", Role.RESEARCHER),
]


@dataclass
class DemoTeams:
    teams: dict[str, Team]
    users: dict[str, object]


def has_demo_data() -> bool:
    return Family.objects.filter(case_number__startswith=DEMO_PREFIX).exists()


def has_real_data() -> bool:
    return Family.objects.exclude(case_number__startswith=DEMO_PREFIX).exists()


def create_teams_and_users() -> DemoTeams:
    user_model = get_user_model()
    password = make_password(DEMO_PASSWORD)
    teams: dict[str, Team] = {}
    users: dict[str, object] = {}
    for username, first, last, team_name, role in DEMO_USERS:
        team = teams.get(team_name) or Team.objects.get_or_create(name=team_name)[0]
        teams[team_name] = team
        user, _ = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "password": password,
            },
        )
        Membership.objects.get_or_create(user=user, team=team, defaults={"role": role})
        users[username] = user
    # The researcher takes part for every team (membership per participating team).
    for username, *_names, role in DEMO_USERS:
        if role == Role.RESEARCHER:
            for team in teams.values():
                Membership.objects.get_or_create(
                    user=users[username], team=team, defaults={"role": role}
                )
    return DemoTeams(teams=teams, users=users)

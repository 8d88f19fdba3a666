"""Demo families with their members and contacts. Everything made here is fictitious."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from cases.models import (
    Contact,
    ContactKind,
    Family,
    FamilyRole,
    FamilyStatus,
    LifeDomain,
    Member,
    Referrer,
    Team,
)
from familiekracht.demo.users import DEMO_PREFIX

SURNAMES = [
    "Jansen",
    "de Boer",
    "Pinas",
    "Kartosen",
    "Öztürk",
    "Mohan",
    "Asante",
    "Bouzid",
    "van Dijk",
    "Brouwer",
    "Lont",
    "Sabajo",
    "Doğan",
    "Hassan",
    "Tjon",
    "Vermeulen",
    "Amponsah",
    "Benali",
    "Wijnaldum",
    "Smit",
    "Koster",
    "Raghoebier",
    "Abdi",
    "Mulder",
]
MOTHER_NAMES = ["Naomi", "Dewi", "Ayşe", "Sandra", "Esther", "Linda", "Shanti", "Fatima"]
FATHER_NAMES = ["Mohammed", "Kwame", "Rachid", "Marco", "Yusuf", "Patrick", "Raymond", "Erwin"]
CHILD_NAMES = [
    "Noah",
    "Liam",
    "Sara",
    "Emma",
    "Milan",
    "Yara",
    "Daan",
    "Aïsha",
    "Jayden",
    "Nora",
    "Kenji",
    "Lina",
    "Sem",
    "Imani",
    "Ravi",
    "Zoë",
    "Amir",
    "Julia",
    "Tess",
    "Omar",
]
AREAS = {
    "Amsterdam Zuidoost": ["Bijlmer-Centrum", "Bijlmer-Oost", "Gaasperdam", "Holendrecht"],
    "Den Haag": ["Schilderswijk", "Transvaal", "Moerwijk", "Laak"],
}
NOTES = [
    "Kennismaking met het hele gezin, afspraken over de komende weken.",
    "Schuldenoverzicht samen doorgenomen; moeder belt zelf de woningcorporatie.",
    "Oma aanwezig, wil de kinderen op woensdag opvangen.",
    "Gesprek met mentor op school over verzuim.",
    "Ruzie tussen ouders besproken; veiligheidsafspraken herhaald.",
    "Krachtenanalyse met de oudste, die zelf zijn wensen opschreef.",
    "Telefonisch: afspraak huisarts geregeld.",
    "Netwerkoverleg voorbereid met buurvrouw en oom.",
]

# A full home-visit report, longer than a short note (the contact note holds up to 20,000
# characters): one per family, the latest home visit, so the demo shows a long report.
HOME_VISIT_REPORT = "\n\n".join(
    [
        "Huisbezoek van anderhalf uur, moeder en de twee jongste kinderen aanwezig; de oudste "
        "kwam halverwege uit school. De sfeer was bij binnenkomst gespannen: er lag een brief "
        "van de deurwaarder op tafel die moeder nog niet had durven openen.",
        "Geld en schulden: samen de brief geopend en gelezen. Het gaat om de achterstand bij de "
        "energieleverancier; er is nog geen beslag gelegd. Moeder wil zelf bellen om een "
        "betalingsregeling te vragen. We hebben opgeschreven wat ze gaat zeggen en welke "
        "bedragen ze per maand kan missen. Afgesproken dat ik donderdag even bel hoe het ging.",
        "Opvoeding en gezin: de ochtenden blijven het moeilijkst. De jongste wil niet naar de "
        "opvang en moeder komt daardoor vaak te laat op haar werk. We hebben het ochtendritme "
        "stap voor stap doorgelopen; de kleren liggen voortaan de avond ervoor klaar en oma "
        "brengt de jongste op maandag en woensdag. Moeder zegt dat ze zich gesteund voelt nu "
        "oma weer meedoet; dat is een duidelijke kracht van dit gezin.",
        "Kind: de oudste vertelde uit zichzelf over school. Het gaat beter met rekenen, maar hij "
        "wordt in de pauze gepest. Hij wil niet dat moeder de school belt; hij wil het eerst "
        "zelf met zijn mentor bespreken. Afgesproken dat hij dat deze week doet en dat we het "
        "volgende keer samen evalueren. Hij mag zelf kiezen of hij daar de jeugdmentor bij wil.",
        "Netwerk: de buurvrouw heeft aangeboden om een middag per week op te passen. Moeder "
        "twijfelt nog, omdat ze niemand tot last wil zijn. We hebben besproken wat de buurvrouw "
        "er zelf aan heeft en dat ze het op elk moment mag terugdraaien. Moeder denkt erover "
        "na en laat het bij de netwerkbijeenkomst weten.",
        "Ouder: moeder slaapt slecht sinds de brief kwam en merkt dat ze sneller boos wordt op "
        "de kinderen. Ze wil daar hulp bij, maar liever niet weer een nieuwe hulpverlener. We "
        "hebben afgesproken dat ze het bij de huisarts aankaart en dat ik, als zij dat wil, "
        "meega. Ze gaf zelf aan dat wandelen met de hond haar rust geeft; dat houdt ze vast.",
        "Veiligheid: geen nieuwe signalen; de afspraken uit het veiligheidsplan zijn bekend bij "
        "moeder en oma en hangen op de koelkast.",
        "Volgende stappen: donderdag telefonisch contact over de betalingsregeling; over twee "
        "weken huisbezoek met oma erbij; netwerkbijeenkomst voorbereiden met de buurvrouw.",
    ]
)


def family_members(
    rng: random.Random, family: Family, surname: str, today: datetime.date
) -> list[Member]:
    """Unsaved members: one or two parents with authority and two to five children."""
    members = []
    parents = rng.choice([1, 2, 2])
    youngest_parent_age = 48
    for i in range(parents):
        parent_age = rng.randint(30, 48)
        youngest_parent_age = min(youngest_parent_age, parent_age)
        born = today.replace(year=today.year - parent_age) - datetime.timedelta(
            days=rng.randint(0, 360)
        )
        first_names = MOTHER_NAMES if i == 0 else FATHER_NAMES
        members.append(
            Member(
                family=family,
                name=f"{rng.choice(first_names)} {surname}",
                date_of_birth=born,
                role=FamilyRole.MOTHER if i == 0 else FamilyRole.FATHER,
                lives_in_household=i == 0 or rng.random() < 0.6,
                has_parental_authority=True,
            )
        )
    for _ in range(rng.randint(2, 5)):
        child_age = rng.randint(1, min(19, youngest_parent_age - 20))
        born = today.replace(year=today.year - child_age) - datetime.timedelta(
            days=rng.randint(0, 360)
        )
        members.append(
            Member(
                family=family,
                name=f"{rng.choice(CHILD_NAMES)} {surname}",
                date_of_birth=born,
                role=FamilyRole.CHILD,
                lives_in_household=rng.random() < 0.9,
            )
        )
    return members


def create_families(
    *,
    team: Team,
    coaches: list,
    count: int,
    start_number: int,
    rng: random.Random,
    contacts_per_family: tuple[int, int] = (8, 25),
    with_attendance: bool = True,
) -> list[Family]:
    """Create `count` load-test families with members and contacts, in batched inserts."""
    today = timezone.localdate()
    statuses = [FamilyStatus.ACTIVE] * 8 + [
        FamilyStatus.REFERRED,
        FamilyStatus.CLOSED,
        FamilyStatus.AFTERCARE,
    ]
    families = []
    for i in range(count):
        surname = SURNAMES[(start_number + i) % len(SURNAMES)]
        families.append(
            Family(
                case_number=f"{DEMO_PREFIX}{team.pk:02d}-{start_number + i:05d}",
                display_name=f"Gezin {surname}",
                area=rng.choice(AREAS.get(team.name, ["Centrum"])),
                team=team,
                status=statuses[i % len(statuses)],
                referrer=rng.choice(Referrer.values),
                referral_date=today - datetime.timedelta(days=rng.randint(30, 420)),
                coach=coaches[i % len(coaches)],
            )
        )
    families = Family.objects.bulk_create(families)
    members: list[Member] = []
    for family in families:
        members.extend(family_members(rng, family, family.display_name[6:], today))
    members = Member.objects.bulk_create(members)
    by_family: dict[int, list[Member]] = {}
    for member in members:
        by_family.setdefault(member.family_id, []).append(member)

    contacts: list[Contact] = []
    for family in families:
        if family.status == FamilyStatus.REFERRED:
            continue
        days_in_care = max((today - family.referral_date).days, 1)
        for _ in range(rng.randint(*contacts_per_family)):
            contacts.append(
                Contact(
                    family=family,
                    date=today - datetime.timedelta(days=rng.randint(1, min(days_in_care, 180))),
                    minutes=rng.choice([15, 30, 45, 60, 90, 120, 150]),
                    kind=rng.choice(ContactKind.values),
                    domains=sorted(rng.sample(LifeDomain.values, rng.randint(1, 3))),
                    note=rng.choice(NOTES),
                    author_id=family.coach_id,
                )
            )
    contacts = Contact.objects.bulk_create(contacts)
    if with_attendance:
        through = Contact.members_present.through
        rows = []
        for contact in contacts:
            present = by_family[contact.family_id]
            for member in rng.sample(present, min(len(present), rng.randint(1, 3))):
                rows.append(through(contact_id=contact.pk, member_id=member.pk))
        through.objects.bulk_create(rows, batch_size=5000)
    return families

"""Plausible names, birth places and document numbers for the demo's people, by nationality.

Everything here is invented: combinations of common given and family names, never a real person.
Document numbers follow the shape each country prints (letters and digits only, at most 9
characters) so the bulk generator can keep to 10 or more characters and never collide with them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

DIGITS = "0123456789"
# I and O are left out, as many issuers do, to avoid confusion with 1 and 0.
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
# German passport numbers use this alphabet (no vowels, no B, D, Q, S).
GERMAN_ALPHABET = "CFGHJKLMNPRTVWXYZ0123456789"


@dataclass(frozen=True)
class Nationality:
    code: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]
    # "family given" (as East Asian passports print them) or "given family".
    family_first: bool
    birth_places: tuple[str, ...]
    # '#' a digit, '@' a letter, '*' a German-alphabet character; anything else is literal.
    passport_pattern: str


NATIONALITIES = {
    n.code: n
    for n in [
        Nationality(
            "CN",
            ("Wei", "Jun", "Hao", "Lei", "Qiang", "Jian", "Yong", "Tao", "Ming", "Chao", "Bin"),
            ("Fang", "Na", "Min", "Jing", "Yan", "Hui", "Ling", "Xiaoling", "Yuting", "Meiling"),
            ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu"),
            True,
            ("Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Fuzhou", "Hangzhou", "Wuhan"),
            "E########",
        ),
        Nationality(
            "KR",
            ("Min-jun", "Seo-jun", "Ji-ho", "Hyun-woo", "Jae-hyun", "Sung-min", "Dong-hyun"),
            ("Seo-yeon", "Ji-woo", "Min-seo", "Ha-eun", "Soo-jin", "Ji-young", "Eun-ji", "Yu-na"),
            ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han"),
            True,
            ("Seoul", "Busan", "Incheon", "Daegu", "Daejeon", "Suwon", "Gwangju"),
            "M########",
        ),
        Nationality(
            "JP",
            ("Haruto", "Hiroshi", "Takeshi", "Kenji", "Daisuke", "Satoshi", "Kazuki", "Ryota"),
            ("Yui", "Aoi", "Yuka", "Emi", "Haruka", "Sakura", "Mai", "Naoko", "Keiko", "Misaki"),
            ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"),
            True,
            ("Tokyo", "Osaka", "Nagoya", "Yokohama", "Fukuoka", "Sapporo", "Kobe"),
            "T@#######",
        ),
        Nationality(
            "IN",
            ("Rahul", "Amit", "Vikram", "Rajesh", "Suresh", "Arjun", "Sanjay", "Deepak", "Karthik"),
            ("Priya", "Anjali", "Sunita", "Kavita", "Neha", "Pooja", "Lakshmi", "Meera", "Divya"),
            ("Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Mehta", "Rao"),
            False,
            ("Mumbai", "New Delhi", "Chennai", "Bengaluru", "Kolkata", "Hyderabad", "Pune"),
            "@#######",
        ),
        Nationality(
            "NG",
            ("Chukwuemeka", "Oluwaseun", "Chinedu", "Ifeanyi", "Babatunde", "Obinna", "Segun"),
            ("Ngozi", "Chioma", "Adaeze", "Funmilayo", "Yetunde", "Amaka", "Folake", "Nneka"),
            ("Okafor", "Adeyemi", "Okonkwo", "Eze", "Ogunleye", "Nwosu", "Balogun", "Afolabi"),
            False,
            ("Lagos", "Abuja", "Enugu", "Ibadan", "Port Harcourt", "Onitsha", "Owerri"),
            "A########",
        ),
        Nationality(
            "RU",
            ("Dmitry", "Alexei", "Sergei", "Ivan", "Mikhail", "Andrei", "Pavel", "Artem", "Maxim"),
            ("Anna", "Elena", "Olga", "Natalia", "Maria", "Tatiana", "Ekaterina", "Irina", "Yulia"),
            ("Ivanov", "Smirnov", "Kuznetsov", "Popov", "Volkov", "Sokolov", "Lebedev", "Orlov"),
            False,
            ("Moscow", "Saint Petersburg", "Novosibirsk", "Yekaterinburg", "Kazan", "Vladivostok"),
            "7########",
        ),
        Nationality(
            "US",
            ("Michael", "James", "John", "Robert", "David", "William", "Matthew", "Daniel", "Ryan"),
            ("Jennifer", "Jessica", "Ashley", "Sarah", "Emily", "Megan", "Lauren", "Rachel"),
            ("Smith", "Johnson", "Williams", "Brown", "Miller", "Davis", "Garcia", "Anderson"),
            False,
            ("New York", "Los Angeles", "Chicago", "Houston", "Seattle", "San Francisco"),
            "5########",
        ),
        Nationality(
            "AU",
            (
                "Jack",
                "Oliver",
                "Liam",
                "Lachlan",
                "Cooper",
                "Noah",
                "Harrison",
                "Mitchell",
                "Riley",
            ),
            ("Charlotte", "Olivia", "Chloe", "Sophie", "Isla", "Grace", "Matilda", "Ruby"),
            ("Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "White", "Kelly", "Ryan"),
            False,
            ("Perth", "Sydney", "Melbourne", "Brisbane", "Adelaide", "Darwin"),
            "P@#######",
        ),
        Nationality(
            "MY",
            ("Ahmad", "Muhammad Faiz", "Mohd Hafiz", "Azman", "Shahrul", "Iskandar", "Hakim"),
            ("Nurul Huda", "Siti Aminah", "Farah", "Aisyah", "Nur Izzati", "Syafiqah"),
            ("Ismail", "Abdullah", "Hassan", "Rahman", "Yusof", "Ibrahim", "Othman"),
            False,
            ("Kuala Lumpur", "Johor Bahru", "George Town", "Ipoh", "Melaka", "Kuching"),
            "A########",
        ),
        Nationality(
            "PH",
            ("Jose", "Juan", "Mark", "John Paul", "Ramon", "Carlo", "Jerome", "Angelo"),
            ("Maria", "Kristine", "Jocelyn", "Mary Grace", "Rowena", "Jasmine", "Angelica"),
            ("Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Mendoza", "Villanueva", "Ramos"),
            False,
            ("Manila", "Cebu", "Davao", "Quezon City", "Iloilo", "Zamboanga"),
            "P#######@",
        ),
        Nationality(
            "VN",
            ("Van An", "Van Binh", "Minh Tuan", "Duc Anh", "Quoc Hung", "Thanh Long", "Van Hai"),
            ("Thi Lan", "Thi Hoa", "Thi Mai", "Ngoc Anh", "Thu Trang", "Thi Huong", "Bich Ngoc"),
            ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Huynh", "Phan", "Vu", "Vo", "Dang", "Bui"),
            True,
            ("Hanoi", "Ho Chi Minh City", "Hai Phong", "Da Nang", "Can Tho"),
            "C#######",
        ),
        Nationality(
            "FR",
            ("Jean", "Pierre", "Nicolas", "Julien", "Antoine", "Sébastien", "Olivier", "Lucas"),
            ("Camille", "Marie", "Sophie", "Julie", "Claire", "Élodie", "Hélène", "Chloé"),
            ("Martin", "Bernard", "Dubois", "Durand", "Leroy", "Moreau", "Lefèvre", "Rousseau"),
            False,
            ("Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Bordeaux"),
            "##@@#####",
        ),
        Nationality(
            "DE",
            ("Lukas", "Jonas", "Maximilian", "Felix", "Tobias", "Stefan", "Jürgen", "Florian"),
            ("Anna", "Laura", "Lena", "Julia", "Katharina", "Sabine", "Lea", "Franziska"),
            ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Schäfer"),
            False,
            ("Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart"),
            "C********",
        ),
        Nationality(
            "GB",
            ("Oliver", "George", "Harry", "James", "William", "Thomas", "Charlie", "Edward"),
            ("Amelia", "Olivia", "Emily", "Isabella", "Charlotte", "Lucy", "Eleanor", "Grace"),
            ("Smith", "Jones", "Taylor", "Davies", "Evans", "Roberts", "Walker", "Hughes"),
            False,
            ("London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Bristol"),
            "1########",
        ),
        Nationality(
            "NL",
            ("Daan", "Sem", "Jeroen", "Bram", "Thijs", "Ruben", "Pieter", "Joost", "Wouter"),
            ("Emma", "Sanne", "Lotte", "Anouk", "Femke", "Eva", "Fleur", "Marieke"),
            ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser"),
            False,
            ("Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven"),
            "N@******#",
        ),
        Nationality(
            "SA",
            ("Abdullah", "Mohammed", "Faisal", "Khalid", "Saud", "Fahad", "Sultan", "Omar"),
            ("Noura", "Sara", "Fatimah", "Reem", "Lama", "Hessa", "Maha", "Haifa"),
            ("Al-Qahtani", "Al-Otaibi", "Al-Ghamdi", "Al-Harbi", "Al-Zahrani", "Al-Shehri"),
            False,
            ("Riyadh", "Jeddah", "Mecca", "Dammam", "Medina"),
            "@#######",
        ),
        Nationality(
            "PG",
            ("John", "Peter", "Michael", "Joseph", "Paul", "Gabriel", "Simon", "Kepa"),
            ("Mary", "Grace", "Elizabeth", "Ruth", "Esther", "Helen", "Janet", "Rose"),
            ("Morea", "Toua", "Kila", "Aisi", "Tau", "Kaupa", "Kaiku", "Wari", "Yapi", "Siune"),
            False,
            ("Port Moresby", "Lae", "Wewak", "Vanimo", "Madang", "Mount Hagen"),
            "P@######",
        ),
    ]
}

# Who an office mostly meets: factories and offices around Tangerang, tourists and second homes in
# Bali, and the land border with Papua New Guinea at Skouw near Jayapura.
NATIONALITY_WEIGHTS = {
    "KANIM-TNG": "CN 30 KR 15 JP 10 IN 10 NG 4 MY 5 PH 5 VN 5 US 3 AU 2 RU 2 GB 2 DE 2 "
    "FR 1 NL 1 SA 2",
    "KANIM-DPS": "AU 25 RU 18 US 8 GB 8 FR 6 DE 6 NL 5 CN 6 JP 4 KR 3 IN 4 MY 2 NG 1 SA 1 "
    "PH 1 VN 1",
    "KANIM-JYP": "PG 45 AU 10 US 8 CN 8 PH 6 KR 4 NL 4 JP 4 MY 3 IN 3 NG 2 RU 1 GB 1 DE 1",
}


def nationality_weights(office: str) -> tuple[list[str], list[int]]:
    words = NATIONALITY_WEIGHTS[office].split()
    return words[0::2], [int(weight) for weight in words[1::2]]


MALAYSIAN_CHINESE_FAMILY = ("Tan", "Lim", "Wong", "Lee", "Ong", "Goh")
MALAYSIAN_CHINESE_GIVEN = ("Wei Ming", "Chee Keong", "Mei Ling", "Siew Lan", "Kok Wai", "Li Ting")


def person_name(rng: random.Random, nationality: str, sex: str) -> str:
    spec = NATIONALITIES[nationality]
    given = rng.choice(spec.male if sex == "M" else spec.female)
    family = rng.choice(spec.family)
    if nationality == "RU" and sex == "F":
        family += "a"
    if nationality == "MY":
        if rng.random() < 0.35:
            # Chinese Malaysians write the family name first and take no patronymic.
            return f"{rng.choice(MALAYSIAN_CHINESE_FAMILY)} {rng.choice(MALAYSIAN_CHINESE_GIVEN)}"
        return f"{given} {'bin' if sex == 'M' else 'binti'} {family}"
    if nationality == "SA":
        return f"{given} {rng.choice(spec.male)} {family}"
    return f"{family} {given}" if spec.family_first else f"{given} {family}"


def passport_number(rng: random.Random, nationality: str) -> str:
    pattern = NATIONALITIES[nationality].passport_pattern
    out = []
    for symbol in pattern:
        if symbol == "#":
            out.append(rng.choice(DIGITS))
        elif symbol == "@":
            out.append(rng.choice(LETTERS))
        elif symbol == "*":
            out.append(rng.choice(GERMAN_ALPHABET))
        else:
            out.append(symbol)
    return "".join(out)


def bulk_passport_number(nationality: str, serial: int) -> str:
    """A number of 10+ characters, unique per serial: never one `passport_number` could make."""
    letter = NATIONALITIES[nationality].passport_pattern[0] if nationality in NATIONALITIES else "X"
    prefix = letter if letter.isalpha() else "X"
    return f"{prefix}B{serial:08d}"


# Indonesians: sponsors (penjamin) and the bulk generator's officers.
INDONESIAN_NAMES = {
    "KANIM-TNG": (
        ("Agus", "Bambang", "Dedi", "Hendra", "Iwan", "Rudi", "Slamet", "Teguh", "Wawan", "Yudi"),
        ("Ayu", "Dian", "Euis", "Fitri", "Lina", "Nining", "Ratna", "Siti", "Tuti", "Wulan"),
        ("Gunawan", "Hidayat", "Kusuma", "Setiawan", "Suryadi", "Wijaya", "Halim", "Saputra"),
    ),
    "KANIM-DPS": (
        ("I Made", "I Wayan", "I Nyoman", "I Ketut", "I Gede", "I Putu", "I Kadek", "I Komang"),
        ("Ni Made", "Ni Luh", "Ni Wayan", "Ni Kadek", "Ni Putu", "Ni Komang", "Ni Nyoman"),
        ("Sudarsana", "Wirawan", "Astawa", "Suryani", "Ariani", "Darmayasa", "Mahendra"),
    ),
    "KANIM-JYP": (
        ("Yohanes", "Markus", "Petrus", "Yakobus", "Daniel", "Obet", "Yunus", "Agustinus"),
        ("Yosina", "Maria", "Agustina", "Martha", "Yuliana", "Ester", "Dorkas", "Debora"),
        ("Mandowen", "Rumbewas", "Wonda", "Ayomi", "Kareth", "Hamadi", "Wanggai", "Rumaropen"),
    ),
}


def indonesian_name(rng: random.Random, office: str, sex: str) -> str:
    male, female, family = INDONESIAN_NAMES[office]
    return f"{rng.choice(male if sex == 'M' else female)} {rng.choice(family)}"


COMPANY_WORDS = (
    ("Sinar", "Cahaya", "Mitra", "Karya", "Indo", "Nusantara", "Prima", "Mega", "Tunas", "Bumi"),
    ("Baja", "Tekstil", "Elektronik", "Plastik", "Garmen", "Logistik", "Kimia", "Teknik", "Pangan"),
    ("Utama", "Perkasa", "Mandiri", "Lestari", "Abadi", "Sejahtera", "Makmur", "Indonesia"),
)
BALI_COMPANY_WORDS = (
    ("Dewata", "Bali", "Pulau", "Segara", "Taman", "Surya", "Giri", "Puri"),
    ("Villa", "Wisata", "Properti", "Hospitality", "Kreasi", "Selancar", "Kuliner", "Spa"),
    ("Management", "Lestari", "Internasional", "Abadi", "Sentosa", "Harmoni"),
)


def company_name(rng: random.Random, office: str) -> str:
    words = BALI_COMPANY_WORDS if office == "KANIM-DPS" else COMPANY_WORDS
    return "PT " + " ".join(rng.choice(group) for group in words)

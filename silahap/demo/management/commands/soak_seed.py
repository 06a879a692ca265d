"""`manage.py soak_seed` (make soak): the people the soak's load tool plays, on the configured
database (the local cluster's primary), and a signed-in session for each.

Offices under one regional office, each with its leaders (the board's pollers, the CSV
exporters) and its officers (who file activities from the phone), persons in the registry for
the lookups, and a few small JPEG photos. The accounts, offices and persons are made once and
reused; the sessions are new on every run (a board's polls never keep a session alive, so a
session from an earlier run may have ended). Sessions are written as a login writes them, the
leaders' with their second factor passed: the soak measures filing and reading, not signing in
(every login hashes a password on purpose, and the suite tests it).
"""

from __future__ import annotations

import datetime
import io
import json
import random
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw

from silahap.accounts import otp
from silahap.accounts import services as accounts
from silahap.accounts.middleware import SessionTimeoutMiddleware
from silahap.accounts.models import Membership, OrgUnit, User
from silahap.insights.bench import population
from silahap.reports import services as reports

REGION_CODE = "SOAK-KANWIL"
PHOTOS = 8


def _unit(code: str, **fields) -> OrgUnit:
    found = OrgUnit.objects.filter(code=code).first()
    return found or accounts.orgunit_create(by=None, code=code, **fields)


def _member(username: str, full_name: str, unit: OrgUnit, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        # No password: nobody signs in as a soak account; its sessions are written below.
        user = accounts.user_create(by=None, username=username, full_name=full_name, password=None)
        accounts.membership_create(
            by=None,
            user=user,
            unit=unit,
            role=role,
            start_date=timezone.localdate() - datetime.timedelta(days=1),
        )
    return user


def _session(user: User, *, device: TOTPDevice | None) -> dict[str, str]:
    """A session as login() and the code step leave it, and a CSRF secret to send with it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    SessionTimeoutMiddleware.start(session)
    # Whether the user has an authenticator, as the login's receiver notes it (the second-factor
    # check of every request reads it from the session instead of asking the database).
    otp.remember_enrolment(session, user)
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return {
        "username": user.username,
        "session": session.session_key or "",
        "csrf": secrets.token_hex(16),  # 32 characters: Django takes an unmasked secret
    }


def _photo(index: int) -> bytes:
    """A small camera-like JPEG (640x480, some tens of KB), different for each index."""
    rng = random.Random(index)
    image = Image.new("RGB", (640, 480), (rng.randrange(256), 120, 90))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(640), rng.randrange(480)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.rectangle((x, y, x + rng.randrange(20, 160), y + rng.randrange(20, 120)), colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


class Command(BaseCommand):
    help = "Accounts, sessions, persons and photos for make soak's load tool (bin/soak)."

    def add_arguments(self, parser):
        parser.add_argument("--offices", type=int, default=40)
        parser.add_argument("--leaders", type=int, default=5, help="per office")
        parser.add_argument("--officers", type=int, default=5, help="per office")
        parser.add_argument("--persons", type=int, default=5000)
        parser.add_argument("--out", default="var/bench/soak")

    def handle(self, *args, offices, leaders, officers, persons, out, **options):
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        with transaction.atomic():
            root = OrgUnit.objects.filter(parent=None).order_by("pk").first() or _unit(
                "SOAK-DG", kind=OrgUnit.Kind.DIRECTORATE_GENERAL, name="Ditjen Imigrasi (soak)"
            )
            region = _unit(
                REGION_CODE,
                kind=OrgUnit.Kind.REGIONAL_OFFICE,
                name="Kanwil Soak",
                parent=root,
            )
            staff: dict[str, list] = {"leaders": [], "officers": []}
            office_ids = []
            for number in range(1, offices + 1):
                office = _unit(
                    f"SOAK-{number:03d}",
                    kind=OrgUnit.Kind.IMMIGRATION_OFFICE,
                    name=f"Kanim Soak {number}",
                    parent=region,
                    timezone_name="Asia/Jakarta",
                )
                office_ids.append(office.pk)
                for index in range(1, leaders + 1):
                    user = _member(
                        f"soak.kasi{number}.{index}",
                        f"Kasi Soak {number}.{index}",
                        office,
                        "leader",
                    )
                    device, _ = TOTPDevice.objects.get_or_create(
                        user=user, name="soak", defaults={"confirmed": True}
                    )
                    staff["leaders"].append((user, office.pk, device))
                for index in range(1, officers + 1):
                    user = _member(
                        f"soak.petugas{number}.{index}",
                        f"Petugas Soak {number}.{index}",
                        office,
                        Membership.Role.OFFICER,
                    )
                    staff["officers"].append((user, office.pk, None))
        for user, _office, _device in staff["officers"]:
            reports.report_open(officer=user)  # today's report, in the office's zone
        added = population.ensure_persons(persons, seed=20261205)
        names = list(
            population.bench_persons().order_by("?").values_list("full_name", flat=True)[:300]
        )
        lookups = sorted({name.split()[0][:6] for name in names if len(name.split()[0]) >= 3})
        photos = []
        for index in range(PHOTOS):
            path = folder / f"photo-{index}.jpg"
            path.write_bytes(_photo(index))
            photos.append(str(path.resolve()))
        people = {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "period": timezone.localdate().strftime("%Y-%m"),
            "leaders": [
                {**_session(user, device=device), "office": office}
                for user, office, device in staff["leaders"]
            ],
            "officers": [
                {**_session(user, device=None), "office": office}
                for user, office, _device in staff["officers"]
            ],
            "lookups": lookups,
            "photos": photos,
        }
        (folder / "people.json").write_text(json.dumps(people, indent=1))
        self.stdout.write(
            f"soak_seed: {offices} offices, {len(people['leaders'])} leaders, "
            f"{len(people['officers'])} officers with sessions; {added} persons added "
            f"({population.bench_persons().count()} in all); {folder / 'people.json'}"
        )

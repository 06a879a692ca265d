"""The areas left the registry app for their own (areas/0001, registry/0012): a database at the
state before keeps every row and every link, on SQLite and PostgreSQL alike."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from silahap.accounts.models import OrgUnit
from silahap.areas.models import District, Province, Regency, Village
from silahap.registry.models import Place
from silahap.testing.migrations import latest, migrate

# Unapplying the areas app takes every migration that depends on it back too: the state of main
# before the move (registry 0011, accounts 0005, operations 0001).
BEFORE = [("areas", None)]


@pytest.mark.usefixtures("back_at_latest")
def test_rows_and_links_survive_the_move_and_its_undoing():
    Province.objects.create(code="95", name="Papua Selatan")  # added while in the areas app
    ContentType.objects.get_for_model(Province)
    old = migrate(BEFORE)  # unapplying the move keeps the rows too
    assert not old.is_installed("silahap.areas")
    assert old.get_model("registry", "Province").objects.get(code="95").name == "Papua Selatan"
    assert ContentType.objects.filter(app_label="registry", model="province").exists()
    province = old.get_model("registry", "Province").objects.create(code="94", name="Papua")
    regency = old.get_model("registry", "Regency").objects.create(
        code="94.01", province=province, name="Merauke"
    )
    district = old.get_model("registry", "District").objects.create(
        code="94.01.01", regency=regency, name="Merauke"
    )
    village = old.get_model("registry", "Village").objects.create(
        code="94.01.01.2001", district=district, name="Kelapa Lima"
    )
    units = old.get_model("accounts", "OrgUnit").objects
    root = units.create(kind="directorate_general", code="DJI-MOVE", name="Ditjen", path="/m/")
    unit = units.create(
        parent=root, kind="regional_office", code="KANIM-MRK", name="Kanwil", path="/m/1/"
    )
    unit.work_area.add(regency)
    old.get_model("registry", "Place").objects.create(
        name="Hotel Asmat",
        normalized_name="hotel asmat",
        kind="hotel",
        regency=regency,
        district=district,
        village=village,
    )
    # A permission granted on a moved model stays granted: its content type moves along.
    old_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="registry", model="regency"
    )[0]
    old_permission = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=old_type, codename="change_regency", defaults={"name": "Can change"}
    )[0]
    old.get_model("auth", "Group").objects.create(name="area editors").permissions.add(
        old_permission
    )

    migrate(latest())

    assert Province.objects.get(code="94").name == "Papua"
    assert (
        Village.objects.select_related("district__regency__province")
        .get(code="94.01.01.2001")
        .district.regency.province.name
        == "Papua"
    )
    assert list(OrgUnit.objects.get(code="KANIM-MRK").work_area.all()) == [
        Regency.objects.get(code="94.01")
    ]
    place = Place.objects.get(name="Hotel Asmat")
    assert (place.regency_id, place.district_id, place.village_id) == (
        "94.01",
        "94.01.01",
        "94.01.01.2001",
    )
    assert list(Regency.objects.get(code="94.01").offices.values_list("code", flat=True)) == [
        "KANIM-MRK"
    ]
    ContentType.objects.clear_cache()
    assert Regency._meta.db_table == "registry_regency"
    assert ContentType.objects.get_for_model(Regency).pk == old_type.pk
    assert Group.objects.get(name="area editors").permissions.get() == Permission.objects.get(
        content_type__app_label="areas", codename="change_regency"
    )
    assert not ContentType.objects.filter(app_label="registry", model="regency").exists()
    # The database still enforces the links: a work area that is no regency is refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.work_area.through.objects.create(
            orgunit=OrgUnit.objects.get(code="KANIM-MRK"), regency_id="00.00"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        District.objects.create(code="94.99.01", regency_id="94.99", name="Nowhere")

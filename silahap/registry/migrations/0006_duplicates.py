# Filled in by the work on duplicate persons and places: merge pointers and 'not a duplicate' decisions.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_person_search_indexes")]

    operations = []

"""Moved to `silahap.areas.loading` (the reference-data layer); kept for older callers."""

from silahap.areas.loading import AreaCounts as AreaCounts
from silahap.areas.loading import AreaDataError as AreaDataError
from silahap.areas.loading import areas_loaded as areas_loaded
from silahap.areas.loading import load_areas as load_areas

"""What every map on the site is drawn on: the operator's tiles, or none (see settings)."""

from django.conf import settings


def map_tiles(request):
    """The tile URL template and its attribution for the page's maps (static/js/silahap.js)."""
    return {
        "map_tile_url": settings.SILAHAP_MAP_TILE_URL,
        "map_tile_attribution": settings.SILAHAP_MAP_TILE_ATTRIBUTION,
    }

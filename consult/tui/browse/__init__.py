"""The staff browser (`consult browse`). Build it with :func:`make_browse_app`."""

from consult.tui.browse.app import BrowseApp, make_browse_app

__all__ = ["BrowseApp", "make_browse_app"]

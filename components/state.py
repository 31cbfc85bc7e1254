"""Every session-state key of the app, defined once (link parameters: incidents/urlstate.py)."""

from __future__ import annotations

# Query-parameter names (a public interface: shared links depend on them) are defined once,
# with the link format, in incidents/urlstate.py (QP_START … QP_LANG); use them from there.
from incidents.urlstate import QP_LANG  # noqa: F401  (components/i18n.py reads state.QP_LANG)

# Language (components/i18n.py).
LANG = "ui_lang"  # the language this session speaks, kept even when the switch is not drawn
W_LANG = "w_lang"

# Sidebar filter widgets.
W_DATES = "f_dates"
W_COUNTRY = "f_country"
W_ADMIN1 = "f_admin1"
W_ACTOR = "f_actor"
W_ACTOR_ROLE = "f_actor_role"
W_TYPE = "f_type"
W_MIN_FATALITIES = "f_min_fatalities"
W_PRECISION = "f_precision"
W_TEXT = "f_text"
W_RESET = "f_reset"

# Map page widgets and state.
W_LAYER = "map_layer"
W_BASEMAP = "map_basemap"
MAP_COMPONENT = "incident_map"
SELECTED = "selected_incident"
W_FIT = "map_fit"  # "Zoom to results"
FIT_COUNT = "map_fit_count"  # how many times it was asked for: each request is new map code
MAP_VIEW = "map_view"  # last (center, zoom) the browser reported

# Incidents page.
W_TABLE = "incident_table"

# Set by app.py on every run for the pages.
CONTEXT = "ctx"

# URL state.
URL_LOADED = "url_loaded"  # the link's parameters were applied in this session
URL_NOTICES = "url_notices"  # what the link asked for that could not be applied

# Timeline window controls and playback.
W_STEP_UNIT = "tl_step_unit"
W_PLAYER = "tl_player"  # the player component (components/player.py): Play, steps, window
W_PLAY_MODE = "tl_play_mode"
W_PLAY_SPEED = "tl_play_speed"
W_SLIDING_DAYS = "tl_sliding_days"
W_MEASURE = "tl_measure"
W_BRUSH = "tl_brush"
PENDING_WINDOW = "tl_pending_window"  # a new date window, applied before the sidebar is drawn
MAP_TIME_CLIENT = "map_time_client"  # this run's map layer filters its points by time itself
MAP_HOME = "map_home"  # (center, zoom, basemap, lang) the mounted base map was built with
DEEP_LINK = "deep_link_page"  # a page opened before app.py ever ran in this server process
DATA_SPAN = "data_span"  # (first, last) day of the data the window was last drawn for

# Access control (components/auth.py).
AUTH_ROLE = "auth_role"  # "editor" once signed in with the editor password
AUTH_VIEWER_OK = "auth_viewer_ok"  # True once the viewer password was given
AUTH_FAILURES = "auth_failures"  # failed password attempts in this session
AUTH_BUSY = "auth_busy"  # the last sign-in was refused: the server is busy with attempts
W_AUTH_PASSWORD = "auth_password"
W_AUTH_SIGN_IN = "auth_sign_in"
W_AUTH_SIGN_OUT = "auth_sign_out"

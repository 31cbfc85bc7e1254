"""Every session-state and query-parameter key of the app, defined once."""

from __future__ import annotations

# Query-parameter names are a public interface: shared links depend on them.
QP_START = "start"
QP_END = "end"
QP_COUNTRY = "country"
QP_ADMIN1 = "admin1"
QP_ACTOR = "actor"
QP_TYPE = "type"
QP_MIN_FATALITIES = "min_fatalities"
QP_PRECISION = "precision"
QP_TEXT = "q"
QP_LAT = "lat"
QP_LON = "lon"
QP_ZOOM = "zoom"
QP_INCIDENT = "incident"
QP_LAYER = "layer"
QP_BASEMAP = "basemap"
QP_ACTOR_ROLE = "actor_role"
QP_LANG = "lang"  # the language a link opens in ("en", "fr")

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
MAP_TIME_BINS = "map_time_bins"  # this run's map shows grid bins the browser could play
MAP_PLAYBACK = "map_playback"  # the key of a playback the player asked the map's bins for
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

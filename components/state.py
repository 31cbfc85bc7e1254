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
W_URL_NOTICES_DISMISS = "url_notices_dismiss"

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
W_AUTH_LOGIN = "auth_login_"  # + the provider's name, or "default"
W_AUTH_OIDC_LOGOUT = "auth_oidc_logout"

# Geocode page (components/geocode_view.py). "+ place key": geocode_view.place_key.
W_GEO_RUN = "geo_run"
W_GEO_THRESHOLD = "geo_threshold"
W_GEO_QUEUE = "geo_queue_table"
W_GEO_PLACE = "geo_place"
W_GEO_CHOICE = "geo_choice_"  # + place key
W_GEO_PRECISION = "geo_precision_"  # + place key + "_" + choice
W_GEO_SAVE = "geo_save"
GEO_REVIEW_MAP = "geo_review_map_"  # + place key; never the main map's key
GEO_RUN_REPORT = "geo_run_report"  # what the last geocode run did
GEO_FLASH = "geo_flash"  # what the last saved correction did, shown once
GEO_LAST_CLICK = "geo_last_click_"  # + place key: the map click already turned into a choice

# Import page (views/import.py, components/import_view.py).
W_IMP_UPLOAD = "imp_upload"
W_IMP_FORMAT = "imp_format"
W_IMP_DATASET = "imp_dataset"
W_IMP_MAP = "imp_map_"  # + field name + "_" + a key of the file's headers
W_IMP_CHECK = "imp_check"
W_IMP_IMPORT = "imp_import"
W_IMP_DOWNLOAD = "imp_rejected_csv"
IMP_REPORT = "imp_report"  # the last import's (or dry run's) report

# Intake page (views/intake.py, components/intake_view.py).
W_INTAKE_FORM = "intake_form"
W_INTAKE_TEXT = "intake_text"
W_INTAKE_FILES = "intake_files"
W_INTAKE_PUBLISHED = "intake_published"
W_INTAKE_COUNTRY = "intake_country"
W_INTAKE_TITLE = "intake_title"
W_INTAKE_PUBLISHER = "intake_publisher"
W_INTAKE_URL = "intake_url"
W_INTAKE_SAVE = "intake_save"
INTAKE_DRAFTS = "intake_drafts"  # list[Draft] under review
INTAKE_REPORTS = "intake_reports"  # list[(name, text, title)] the drafts were read from
INTAKE_FLASH = "intake_flash"  # what the last save did, shown once
# Each draft's card: + the draft's number (claims: + "_df" holds the edited table).
W_INTAKE_KEEP = "intake_keep_"
W_INTAKE_SEPARATE = "intake_separate_"
W_INTAKE_DATE = "intake_date_"
W_INTAKE_LOCATION = "intake_location_"
W_INTAKE_ACTOR = "intake_actor_"
W_INTAKE_TARGET = "intake_target_"
W_INTAKE_TYPE = "intake_type_"
W_INTAKE_FATAL = "intake_fatal_"
W_INTAKE_PRECISION = "intake_precision_"
W_INTAKE_CLAIMS = "intake_claims_"
INTAKE_MAP = "intake_map_"
INTAKE_LAST_CLICK = "intake_last_click_"  # the map click already applied to the draft
#: Every key of a draft's card: forgotten when new reports are read.
INTAKE_DRAFT_KEYS = (W_INTAKE_KEEP, W_INTAKE_SEPARATE, W_INTAKE_DATE, W_INTAKE_LOCATION,
                     W_INTAKE_ACTOR, W_INTAKE_TARGET, W_INTAKE_TYPE, W_INTAKE_FATAL,
                     W_INTAKE_PRECISION, W_INTAKE_CLAIMS, INTAKE_MAP, INTAKE_LAST_CLICK)

# -- exports (components/share_box.render_exports; each widget key gets a suffix) -------------
W_MAP_EXPORT = "map_export"  # the Map page's exports
W_TABLE_EXPORT = "table_export"  # the Incidents page's exports

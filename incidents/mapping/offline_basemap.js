// The offline basemap: labels of countries, regions and towns over the shipped outlines, placed
// without overlap (most important first, thinning out as the map zooms out), and the fallback
// from a tile basemap that cannot load. offline.OfflineBasemap calls it with the map, the
// labels (JSON), the mode and the note shown when tiles fail.
function iaOfflineBasemap(map, data, mode, message) {
    var shown = false, tiles = [], loaded = 0, warned = null, timer = null;
    var pane = map.getPane("ia-labels") || map.createPane("ia-labels");
    pane.style.zIndex = 450;  // over outlines and canvas layers, under markers and popups
    pane.style.pointerEvents = "none";
    pane.className += " leaflet-zoom-hide";  // hidden while a zoom animates, redrawn after
    var STYLE = [  // by rank: capital, regional capital, town, small town, village
        {font: "700 14px/1 system-ui,sans-serif", dot: 7, square: true},
        {font: "600 13px/1 system-ui,sans-serif", dot: 6},
        {font: "500 12px/1 system-ui,sans-serif", dot: 5},
        {font: "400 11.5px/1 system-ui,sans-serif", dot: 4},
        {font: "400 11px/1 system-ui,sans-serif", dot: 4}
    ];
    var AREA = {
        country: {font: "600 13px/1 system-ui,sans-serif", color: "#6b6b6b", spacing: "0.12em",
                  upper: true},
        region: {font: "italic 400 11.5px/1 system-ui,sans-serif", color: "#7a7a7a"}
    };
    var HALO = "0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 4px #fff";
    var canvas = document.createElement("canvas").getContext("2d");

    function width(text, font, spacing) {
        canvas.font = font;
        return canvas.measureText(text).width + (spacing ? text.length * 1.6 : 0);
    }
    function free(box, boxes) {
        for (var i = 0; i < boxes.length; i++) {
            var b = boxes[i];
            if (box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]) { return false; }
        }
        return true;
    }
    // Every label in priority order: [kind ("place" or an AREA key), rank, name, lat, lon, minZoom,
    // maxZoom], kept in one list so that a capital always wins over a region's name.
    var items = [];
    data.places.name.forEach(function (name, i) {
        items.push(["place", data.places.rank[i], name, data.places.lat[i] / 1e4,
                    data.places.lon[i] / 1e4,
                    data.places.minzoom[i], 99, data.places.priority[i], data.places.near[i]]);
    });
    data.areas.forEach(function (a) {
        items.push([a.kind, 0, a.name, a.lat, a.lon, a.minzoom, a.maxzoom, a.priority]);
    });
    items.sort(function (a, b) { return a[7] - b[7]; });

    // Markers and clusters on screen: a label goes beside them when it can, not under them.
    function markerBoxes() {
        var out = [], icons = map.getPane("markerPane").children;
        if (icons.length > 600) { return out; }
        var origin = map.getContainer().getBoundingClientRect();
        for (var i = 0; i < icons.length; i++) {
            var r = icons[i].getBoundingClientRect();
            if (r.width) {
                out.push([r.left - origin.left, r.top - origin.top, r.right - origin.left,
                          r.bottom - origin.top]);
            }
        }
        return out;
    }
    function draw() {
        pane.textContent = "";
        if (!shown) { return; }
        var zoom = map.getZoom(), size = map.getSize(), boxes = [], markers = markerBoxes();
        var frag = document.createDocumentFragment();
        for (var i = 0; i < items.length; i++) {
            var it = items[i];
            if (zoom < it[5] || zoom > it[6]) { continue; }
            var pt = map.latLngToContainerPoint([it[3], it[4]]);
            if (pt.x < -100 || pt.y < -30 || pt.x > size.x + 100 || pt.y > size.y + 30) { continue; }
            var el = document.createElement("div");
            el.className = "ia-label ia-label-" + it[0];
            // The three countries' places in black, their neighbours' in grey.
            el.style.cssText = "position:absolute;white-space:nowrap;color:" +
                (it[8] === 0 ? "#5a5a5a" : "#1f1f1f") + ";text-shadow:" + HALO + ";";
            var text = document.createElement("span");
            text.textContent = it[2];
            var box = null, left = 0, top = 0;
            if (it[0] === "place") {
                var st = STYLE[it[1]] || STYLE[4], w = width(it[2], st.font), h = 13, r = st.dot / 2;
                // Right of the dot, else left, above, below.
                var tries = [[r + 3, -h / 2], [-r - 3 - w, -h / 2], [-w / 2, -r - 2 - h],
                             [-w / 2, r + 2]];
                // First a place clear of other labels and of markers, else of labels only.
                for (var pass = 0; pass < 2 && !box; pass++) {
                    for (var k = 0; k < tries.length && !box; k++) {
                        var b = [pt.x + tries[k][0] - 4, pt.y + tries[k][1] - 2,
                                 pt.x + tries[k][0] + w + 4, pt.y + tries[k][1] + h + 2];
                        var withDot = [Math.min(b[0], pt.x - r), Math.min(b[1], pt.y - r),
                                       Math.max(b[2], pt.x + r), Math.max(b[3], pt.y + r)];
                        if (free(withDot, boxes) && (pass === 1 || free(b, markers))) {
                            box = withDot; left = tries[k][0]; top = tries[k][1];
                        }
                    }
                }
                if (!box) { continue; }
                text.style.cssText = "position:absolute;font:" + st.font + ";left:" + left +
                    "px;top:" + top + "px;line-height:" + h + "px";
                var dot = document.createElement("span");
                dot.style.cssText = "position:absolute;box-sizing:border-box;width:" + st.dot +
                    "px;height:" + st.dot + "px;left:" + (-r) + "px;top:" + (-r) + "px;" +
                    "background:" + (st.square ? "#222" : "#fff") + ";border:1.5px solid #222;" +
                    "border-radius:" + (st.square ? "1px" : "50%");
                el.appendChild(dot);
            } else {
                var a = AREA[it[0]], label = a.upper ? it[2].toUpperCase() : it[2];
                var aw = width(label, a.font, a.spacing);
                box = [pt.x - aw / 2 - 2, pt.y - 8, pt.x + aw / 2 + 2, pt.y + 8];
                if (!free(box, boxes)) { continue; }
                text.textContent = label;
                text.style.cssText = "position:absolute;font:" + a.font + ";color:" + a.color +
                    ";left:" + (-aw / 2) + "px;top:-7px;" +
                    (a.spacing ? "letter-spacing:" + a.spacing : "");
            }
            boxes.push(box);
            el.appendChild(text);
            L.DomUtil.setPosition(el, map.containerPointToLayerPoint(pt).round());
            frag.appendChild(el);
        }
        pane.appendChild(frag);
    }
    function show(on) {
        shown = on;
        draw();
    }
    function warn(on) {
        if (on && !warned) {
            warned = L.control({position: "bottomleft"});
            warned.onAdd = function () {
                var div = L.DomUtil.create("div", "ia-offline-note");
                div.setAttribute("role", "status");
                div.style.cssText = "background:#fff4e5;border-left:3px solid #B5462F;" +
                    "padding:4px 8px;border-radius:4px;font:12px/1.4 system-ui,sans-serif;" +
                    "color:#222;box-shadow:0 1px 3px rgba(0,0,0,.25);max-width:260px";
                div.textContent = message;
                return div;
            };
            warned.addTo(map);
        } else if (!on && warned) {
            warned.remove();
            warned = null;
        }
    }
    // Tiles that fail while none has loaded mean no internet (or a blocked server): drop the
    // tile layer (no more futile requests), draw the labels and say so once. Tiles still
    // loading after 12 s on a slow link: draw the labels meanwhile, and hide them again if
    // the tiles arrive in the end.
    function fallback(drop) {
        if (drop) {
            // The zoom limits came from the tile layer: keep them (marker clusters need one).
            if (map.options.maxZoom === undefined) { map.options.maxZoom = map.getMaxZoom(); }
            tiles.forEach(function (t) { map.removeLayer(t); });
            tiles = [];
        }
        show(true);
        warn(true);
    }
    map.eachLayer(function (layer) {
        if (layer instanceof L.TileLayer) { tiles.push(layer); }
    });
    tiles.forEach(function (t) {
        t.on("tileload", function () {
            loaded++;
            if (timer) { clearTimeout(timer); timer = null; }
            if (shown && mode === "fallback") { show(false); warn(false); }
        });
        t.on("tileerror", function () { if (!loaded) { fallback(true); } });
        t.once("tileloadstart", function () {
            timer = setTimeout(function () { timer = null; if (!loaded) { fallback(false); } },
                               12000);
        });
    });
    // Redrawn when the view changes, and again once markers settle (clusters animate, the
    // incident layer is swapped on every rerun of the app).
    var pending = null;
    function later() {
        if (!shown) { return; }
        if (pending) { clearTimeout(pending); }
        pending = setTimeout(function () { pending = null; draw(); }, 250);
    }
    map.on("zoomend moveend resize viewreset", function () { draw(); later(); });
    map.on("layeradd layerremove", function (e) { if (e.layer instanceof L.Marker) { later(); } });
    show(mode === "always" || (mode === "fallback" && !tiles.length));
    window.ia_offline_basemap = {shown: function () { return shown; }, draw: draw};
}

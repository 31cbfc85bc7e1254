// Incident Atlas: builds incident markers in the browser from compact column arrays.
// A plain function: elements.IncidentLayer calls it with its data (JSON) and the app loads
// this file once with the map (static_data), or the page carries it (a standalone map).
// The payload is packed by elements.encode_points: coordinates as integers of 1e-5 degrees,
// dates as days since d0, fatalities, place codes and id numbers as base64 varints
// (elements.pack_ints, delta-coded where said), event type and precision as one character,
// names and id prefixes as tables of distinct strings.
// ``parent`` the layer's parent, ``d`` elements.encode_points' payload, ``types`` and
// ``precisions`` the schema's tables, ``S`` the translated words (elements.browser_strings),
// ``w0`` the first time window (or null) and ``cluster`` whether markers cluster.
function iaIncidentLayer(parent, d, types, precisions, S, w0, cluster) {
    var n = d.n;
    var ints = iaInts;  // donut.js: elements.pack_ints' varints, read back
    d.lat = ints(d.lat, true); d.lon = ints(d.lon, true);
    d.f = ints(d.f, false); d.d = ints(d.d, true); d.loc = ints(d.loc, true);
    d.idi = d.idi === undefined ? new Float64Array(n) : ints(d.idi, true);
    if (d.idn !== undefined) { d.idn = ints(d.idn, true); }
    if (d.lo !== undefined) {  // days before and after the start: to days since d0, -1 undated
        var before = ints(d.lo, false), after = ints(d.hi, false);
        d.lo = new Float64Array(n); d.hi = new Float64Array(n);
        for (var q = 0; q < n; q++) {
            d.lo[q] = d.d[q] < 0 ? -1 : d.d[q] - before[q];
            d.hi[q] = d.d[q] < 0 ? -1 : d.d[q] + after[q];
        }
    }
    var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    var lat = new Float64Array(n), lon = new Float64Array(n);
    var tCode = new Uint8Array(n), pCode = new Uint8Array(n);
    for (var r = 0; r < n; r++) {
        lat[r] = d.lat[r] / 1e5;
        lon[r] = d.lon[r] / 1e5;
        var tp = DIGITS.indexOf(d.tp.charAt(r));
        tCode[r] = Math.floor(tp / precisions.length);
        pCode[r] = tp % precisions.length;
    }
    function incidentId(i) {
        return d.idp[d.idi[i]] + (d.idn ? String(d.idn[i]) : d.ids[i]);
    }
    function dateText(i) {
        if (d.d[i] < 0) { return S.dateUnknown; }
        return new Date((d.d0 + d.d[i]) * 86400000).toLocaleDateString(S.lang, {
            timeZone: "UTC", day: "numeric", month: "short", year: "numeric"});
    }

    function esc(s) {
        return String(s).replace(/[&<>"']/g, function (c) {
            return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
        });
    }
    function radius(f) {
        return f < 0 ? 7 : Math.min(26, 6 + 3 * Math.log2(1 + f));
    }
    // Markers share one icon per look (type, precision, size, unknown fatalities).
    var icons = {};
    function iconFor(i) {
        var f = d.f[i], size = Math.round(2 * radius(f));
        var key = tCode[i] + "/" + pCode[i] + "/" + size + "/" + (f < 0);
        if (!icons[key]) { icons[key] = makeIcon(types[tCode[i]], precisions[pCode[i]], f, size); }
        return icons[key];
    }
    function makeIcon(t, p, f, size) {
        return iaMarkerIcon(t.color, p.style, p.code, size, f < 0);
    }
    function tooltip(i) {
        var t = types[tCode[i]], p = precisions[pCode[i]], f = d.f[i];
        var q = S.qualifiers[DIGITS.indexOf(d.dp.charAt(i))] || "";
        return esc(dateText(i) + (q ? " (" + q + ")" : "") + " · " + t.label +
            " · " + (d.locs[d.loc[i]] || S.placeNotNamed) + " (" + p.label + ")" + " · " +
            (f < 0 ? S.fatalitiesUnknown : iaCount(S, S.killed, f)) +
            " [" + incidentId(i) + "]");
    }

    // Clusters are neutral discs ringed by the share of each event type inside them, so
    // their colours never read as an event type of their own.
    function clusterIcon(cluster) {
        var children = cluster.getAllChildMarkers(), counts = {}, total = children.length;
        for (var k = 0; k < children.length; k++) {
            var code = tCode[children[k].iaIndex];
            counts[code] = (counts[code] || 0) + 1;
        }
        var size = total < 10 ? 30 : total < 100 ? 36 : total < 1000 ? 44 : 52;
        return iaDonutIcon(types, counts, total, size, "marker-cluster ia-cluster", "");
    }

    var group = cluster ? L.markerClusterGroup({chunkedLoading: true, maxClusterRadius: 45,
        spiderfyOnMaxZoom: true, showCoverageOnHover: false, iconCreateFunction: clusterIcon})
        : L.featureGroup();
    var markers = new Array(n);
    for (var i = 0; i < n; i++) {
        var m = L.marker([lat[i], lon[i]], {icon: iconFor(i), keyboard: false});
        m.iaIndex = i;
        markers[i] = m;
    }

    // The time window: [first, last] day (days since 1970-01-01), or null for all. An
    // incident is shown when any day it may have happened on falls in the window, as the
    // server's filter decides; playback moves the window here, without a server round trip.
    var shown = new Uint8Array(n);
    function inWindow(i, w) {
        if (!w || !d.lo) { return true; }
        return d.lo[i] >= 0 && d.d0 + d.hi[i] >= w[0] && d.d0 + d.lo[i] <= w[1];
    }
    function setWindow(w) {
        var add = [], drop = [], count = 0;
        for (var k = 0; k < n; k++) {
            var want = inWindow(k, w) ? 1 : 0;
            count += want;
            if (want !== shown[k]) { (want ? add : drop).push(markers[k]); shown[k] = want; }
        }
        if (group.removeLayers) {
            if (drop.length) { group.removeLayers(drop); }
            if (add.length) { group.addLayers(add); }
        } else {
            for (var r2 = 0; r2 < drop.length; r2++) { group.removeLayer(drop[r2]); }
            for (var a2 = 0; a2 < add.length; a2++) { group.addLayer(add[a2]); }
        }
        return count;
    }
    setWindow(w0);
    window.iaTime = {
        setWindow: function (first, last) { return setWindow([first, last]); },
        layer: group
    };

    // The uncertainty of a point is drawn when the pointer is on it: a town-precise
    // point shows the town's radius, a region-precise point a region-sized circle.
    var halo = null;
    function showHalo(i) {
        if (halo) { halo.remove(); }
        var map = group._map;
        if (!map) { return; }
        // Halos live in their own pane under the markers that ignores the pointer: a canvas
        // drawn above a marker between mousedown and mouseup would swallow the click.
        if (!map.getPane("iaHalo")) {
            var pane = map.createPane("iaHalo");
            pane.style.zIndex = 350;
            pane.style.pointerEvents = "none";
        }
        var p = precisions[pCode[i]];
        halo = L.circle([lat[i], lon[i]], {
            radius: p.radius_m, color: types[tCode[i]].color, weight: 1.5, dashArray: "4 4",
            fillOpacity: 0.08, interactive: false, pane: "iaHalo"
        }).addTo(map);
    }
    // Tooltips are bound on first use so that large layers stay cheap; streamlit-folium reads
    // the clicked marker's tooltip text, whose trailing [id] names the incident.
    var host = parent._map || window.map || parent;
    if (host.getContainer) { host.getContainer().dataset.iaLayer = "points"; }
    group.on("mouseover click", function (e) {
        var m = e.layer;
        if (!m || m.iaIndex === undefined) { return; }
        if (!m.getTooltip()) { m.bindTooltip(tooltip(m.iaIndex), {sticky: false}); }
        if (e.type === "mouseover") { m.openTooltip(); }
        showHalo(m.iaIndex);
    });
    group.addTo(parent);
    return group;
}

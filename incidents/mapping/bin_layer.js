// Incident Atlas: grid bins of incidents (incidents.mapping.aggregate.grid_bins), drawn when
// too many incidents are in view to send one by one. Each bin is a neutral disc ringed by
// the share of each event type, like a cluster; its tooltip says how many incidents it holds
// and clicking it zooms in, until the server sends points instead of bins.
// elements.BinLayer calls it with its data, the event types and the translated words
// (elements.browser_strings); the app loads this file once with the map (static_data).
// With ``d.t`` (incidents.mapping.timed_bins) the bins can be recounted for every window of
// a playback here, in the browser: window.iaTime.setWindow(first, last) redraws them.
function iaBinLayer(parent, d, types, S) {
    var nt = types.length, group = L.featureGroup();
    if (typeof d.n === "string") {  // packed by elements.encode_bins
        d.lat = iaInts(d.lat, true).map(function (v) { return v / 1e4; });
        d.lon = iaInts(d.lon, true).map(function (v) { return v / 1e4; });
        d.n = iaInts(d.n, false); d.f = iaInts(d.f, false); d.c = iaInts(d.c, false);
    }
    var shown = {n: d.n, c: d.c, f: d.f};

    function binIcon(b) {
        var total = shown.n[b];
        var size = total < 100 ? 34 : total < 1000 ? 40 : total < 10000 ? 48 : 56;
        return iaDonutIcon(types, shown.c.slice(b * nt, (b + 1) * nt), total, size,
            "marker-cluster ia-bin", "outline:1px dashed #1f2933;outline-offset:1px");
    }
    function draw() {
        group.clearLayers();
        for (var b = 0; b < d.n.length; b++) {
            if (!shown.n[b]) { continue; }
            var m = L.marker([d.lat[b], d.lon[b]], {icon: binIcon(b), keyboard: false});
            m.iaBin = b;
            // No trailing "[id]": a bin is not an incident (see incident_id_from_tooltip).
            m.bindTooltip(iaCount(S, S.binIncidents, shown.n[b]) +
                (shown.f[b] ? " · " + iaCount(S, S.binKilled, shown.f[b]) : "") + " — " +
                S.zoomIn);
            group.addLayer(m);
        }
    }
    draw();
    group.on("click", function (e) {
        var map = e.target._map;
        if (!map || e.layer.iaBin === undefined) { return; }
        map.setView(e.layer.getLatLng(), Math.min(map.getZoom() + 2, map.getMaxZoom()));
    });
    var host = parent._map || window.map || parent;
    if (host.getContainer) { host.getContainer().dataset.iaLayer = "bins"; }
    group.addTo(parent);
    if (d.t) {
        iaTimedBins(d, nt, group, function (counts) { shown = counts; draw(); });
    } else {
        window.iaTime = null;  // a layer that replaced one that could move through time
    }
    return group;
}

// Reads a timed_bins answer (base64 of zlib of zigzag varints) and publishes
// window.iaTime = {key, setWindow(first, last)} once it is decoded; ``redraw(counts)``
// draws the bins with the counts of a window (n, c per bin and type, f per bin).
function iaTimedBins(d, nt, group, redraw) {
    var raw = atob(d.t.z), bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    new Response(stream).arrayBuffer().then(function (buffer) {
        var v = new Uint8Array(buffer), numbers = [], value = 0, mult = 1;
        for (var j = 0; j < v.length; j++) {
            value += (v[j] & 127) * mult;
            if (v[j] & 128) { mult *= 128; continue; }
            numbers.push(value % 2 ? -(value + 1) / 2 : value / 2);
            value = 0; mult = 1;
        }
        var nb = d.n.length, at = 2;
        function running(count) {  // the next ``count`` steps, as running totals
            var out = new Float64Array(count);
            for (var q = 0; q < count; q++) { out[q] = numbers[at + q]; }
            at += count;
            return out;
        }
        function table(rows, cols) {
            var out = running(rows * cols);
            for (var r = 0; r < rows; r++) {
                for (var k = 1; k < cols; k++) { out[r * cols + k] += out[r * cols + k - 1]; }
            }
            return out;
        }
        var ne = numbers[0], ns = numbers[1];
        var ends = table(1, ne), starts = table(1, ns);
        var A = table(nb * nt, ne), B = table(nb * nt, ns);
        var FA = table(nb, ne), FB = table(nb, ns);
        function setWindow(first, last) {
            var e = ends.indexOf(last), s = starts.indexOf(first);
            if (e < 0 || s < 0) { return null; }  // not a window of this playback
            var n = [], c = [], f = [], total = 0;
            for (var b = 0; b < nb; b++) {
                var sum = 0;
                for (var t = 0; t < nt; t++) {
                    var x = A[(b * nt + t) * ne + e] - B[(b * nt + t) * ns + s];
                    c.push(x); sum += x;
                }
                n.push(sum); f.push(Math.round(FA[b * ne + e] - FB[b * ns + s]));
                total += sum;
            }
            redraw({n: n, c: c, f: f});
            return total;
        }
        if (d.t.window) { setWindow(d.t.window[0], d.t.window[1]); }
        window.iaTime = {key: d.t.key, setWindow: setWindow, layer: group};
    });
}

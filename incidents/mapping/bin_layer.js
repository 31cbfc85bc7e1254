// Incident Atlas: grid bins of incidents (incidents.mapping.aggregate.grid_bins), drawn when
// too many incidents are in view to send one by one. Each bin is a neutral disc ringed by
// the share of each event type, like a cluster; its tooltip says how many incidents it holds
// and clicking it zooms in, until the server sends points instead of bins.
// elements.BinLayer calls it; the app loads this file once with the map (static_data).
function iaBinLayer(parent, d, types) {
    var nt = types.length, group = L.featureGroup();

    function binIcon(b) {
        var total = d.n[b];
        var size = total < 100 ? 34 : total < 1000 ? 40 : total < 10000 ? 48 : 56;
        return iaDonutIcon(types, d.c.slice(b * nt, (b + 1) * nt), total, size,
            "marker-cluster ia-bin", "outline:1px dashed #1f2933;outline-offset:1px");
    }
    for (var b = 0; b < d.n.length; b++) {
        var m = L.marker([d.lat[b], d.lon[b]], {icon: binIcon(b), keyboard: false});
        m.iaBin = b;
        // No trailing "[id]": a bin is not an incident (see incident_id_from_tooltip).
        m.bindTooltip(d.n[b].toLocaleString("en-US") + " incidents" +
            (d.f[b] ? " · " + d.f[b].toLocaleString("en-US") + " killed (known)" : "") +
            " — zoom in");
        group.addLayer(m);
    }
    group.on("click", function (e) {
        var map = e.target._map;
        if (!map || e.layer.iaBin === undefined) { return; }
        map.setView(e.layer.getLatLng(), Math.min(map.getZoom() + 2, map.getMaxZoom()));
    });
    var host = parent._map || window.map || parent;
    if (host.getContainer) { host.getContainer().dataset.iaLayer = "bins"; }
    group.addTo(parent);
    return group;
}

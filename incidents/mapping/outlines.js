// Incident Atlas: the shipped country and region outlines (offline.Outlines), drawn under
// everything, never interactive. ``data`` is GeoJSON with coordinates in hundredths of a
// degree; ``styles`` the line style of each kind of outline.
function iaOutlines(map, data, styles) {
    function unscale(c) {
        return typeof c[0] === "number" ? [c[0] / 100, c[1] / 100] : c.map(unscale);
    }
    data.features.forEach(function (f) {
        f.geometry.coordinates = unscale(f.geometry.coordinates);
    });
    return L.geoJson(data, {interactive: false, style: function (f) {
        return styles[f.properties.kind] || styles.admin1;
    }}).addTo(map);
}

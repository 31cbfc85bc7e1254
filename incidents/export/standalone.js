// Marker, tooltip and popup builders of the standalone HTML export (incidents/export).
// Drawing mirrors the app's map (incidents/mapping/incident_layer.js): colour is the event
// type, size the best fatality estimate, solid/faded/ring the place precision. Every text
// from data reaches the page through textContent, never through innerHTML.
//
// types: {code: {label, color}}; precisions: {code: {code, style, label, km}}; S: the
// translated words (browser_strings and the export's own). iaCount comes with the map's
// shared scripts (donut.js).
/* exported iaExportHelpers */
/* global L, iaCount, iaMarkerIcon */
function iaExportHelpers(types, precisions, S) {
    function radius(f) { return f == null ? 7 : Math.min(26, 6 + 3 * Math.log2(1 + f)); }
    function el(tag, text, css) {
        var node = document.createElement(tag);
        if (text != null) { node.textContent = text; }
        if (css) { node.style.cssText = css; }
        return node;
    }
    function icon(p) {
        var t = types[p.type] || types.other, pr = precisions[p.precision] || precisions.country;
        return iaMarkerIcon(t.color, pr.style, pr.code, Math.round(2 * radius(p.f)), p.f == null);
    }
    function fatalities(p) {
        if (p.f == null) { return S.fatalitiesUnknown; }
        var text = iaCount(S, S.killed, p.f);
        if (p.flow != null || p.fhigh != null) {
            text += ", " + S.range + " " + (p.flow != null ? p.flow : "?") + "–" +
                (p.fhigh != null ? p.fhigh : "?");
        }
        return text;
    }
    function tooltip(p) {
        var t = types[p.type] || types.other, pr = precisions[p.precision] || precisions.country;
        return el("span", p.date + " · " + t.label + " · " + (p.loc || S.placeNotNamed) +
            " (" + pr.label + ") · " + fatalities(p));
    }
    function popup(p) {
        var t = types[p.type] || types.other, pr = precisions[p.precision] || precisions.country;
        var box = el("div", null, "font:12px/1.4 system-ui,sans-serif;max-width:320px");
        box.appendChild(el("div", t.label, "font-weight:600;color:" + t.color));
        box.appendChild(el("div", p.loc || S.PlaceNotNamed, "font-weight:600;font-size:14px"));
        box.appendChild(el("div", (p.where ? p.where + " · " : "") + S.placeKnownTo + " " +
            pr.label + " (±" + pr.km.toLocaleString(S.lang) + " km)", "color:#555"));
        box.appendChild(el("div", S.date + " " + p.date));
        if (p.actor || p.target) {
            box.appendChild(el("div", S.actor + " " + (p.actor || S.unknown) + " · " +
                S.target + " " + (p.target || S.unknown)));
        }
        box.appendChild(el("div", S.fatalities + " " + fatalities(p)));
        (p.claims || []).forEach(function (c) { box.appendChild(el("div", S.claim + " " + c)); });
        if (p.desc) { box.appendChild(el("p", p.desc, "margin:4px 0")); }
        if (p.sources && p.sources.length) {
            var list = el("ul", null, "margin:2px 0;padding-left:16px");
            p.sources.forEach(function (s) {
                var item = el("li");
                if (s.url) {
                    var a = el("a", s.text || s.url);
                    a.href = s.url; a.target = "_blank"; a.rel = "noopener noreferrer";
                    item.appendChild(a);
                } else { item.textContent = s.text; }
                list.appendChild(item);
            });
            box.appendChild(el("div", S.sources));
            box.appendChild(list);
        }
        box.appendChild(el("div", (p.dataset ? p.dataset + " · " : "") + S.id + " " + (p.id || ""),
            "color:#666;font-size:11px"));
        return box;
    }
    return {
        pointToLayer: function (feature, latlng) {
            var p = feature.properties;
            var m = L.marker(latlng, {icon: icon(p), keyboard: false});
            var pr = precisions[p.precision] || precisions.country;
            var ring = null;
            m.on("mouseover", function () {
                ring = L.circle(latlng, {radius: pr.km * 1000, color: "#333", weight: 1,
                    dashArray: "4 4", fill: false, interactive: false}).addTo(m._map);
            });
            m.on("mouseout remove", function () { if (ring) { ring.remove(); ring = null; } });
            return m;
        },
        onEachFeature: function (feature, layer) {
            layer.bindTooltip(tooltip(feature.properties), {direction: "top"});
            layer.bindPopup(popup(feature.properties), {maxWidth: 340});
        },
        el: el
    };
}

// Incident Atlas: the icon of a cluster or a grid bin, shared by both layers. A neutral disc
// ringed by the share of each event type (counts[c] for types[c]), so its colours never read
// as an event type of their own; ``ring`` adds CSS to the disc (bins are outlined).
function iaDonutIcon(types, counts, total, size, className, ring) {
    var stops = [], acc = 0;
    for (var c = 0; c < types.length; c++) {
        if (!counts[c]) { continue; }
        var from = acc * 360 / total;
        acc += counts[c];
        stops.push(types[c].color + " " + from.toFixed(1) + "deg " +
            (acc * 360 / total).toFixed(1) + "deg");
    }
    var label = total < 10000 ? String(total) : Math.round(total / 1000) + "k";
    return L.divIcon({
        className: className,
        iconSize: [size, size],
        html: "<div style=\"width:" + size + "px;height:" + size + "px;border-radius:50%;" +
            "background:conic-gradient(" + stops.join(",") + ");display:flex;" +
            "align-items:center;justify-content:center;box-shadow:0 1px 3px rgba(0,0,0,.4);" +
            (ring || "") + "\">" +
            "<span style=\"width:" + (size - 12) + "px;height:" + (size - 12) + "px;" +
            "border-radius:50%;background:#fff;color:#1f2933;font:600 12px/1 system-ui," +
            "sans-serif;display:flex;align-items:center;justify-content:center\">" +
            label + "</span></div>"
    });
}

// "{n} incidents" in the map's language: ``forms`` holds the "one" and "other" plural forms
// (elements.browser_strings), picked by the language's plural rules.
function iaCount(S, forms, k) {
    var form = forms[new Intl.PluralRules(S.lang).select(k)] || forms.other;
    return form.replace("{n}", k.toLocaleString(S.lang));
}

// Integers packed by elements.pack_ints: base64 of zigzag LEB128 varints, running sums of
// them when ``delta``; arithmetic rather than bit operations, so that 2^53 survives.
function iaInts(text, delta) {
    var bytes = atob(text), out = [], v = 0, mult = 1, prev = 0;
    for (var j = 0; j < bytes.length; j++) {
        var b = bytes.charCodeAt(j);
        v += (b & 127) * mult;
        if (b & 128) { mult *= 128; continue; }
        var x = v % 2 ? -(v + 1) / 2 : v / 2;
        prev = delta ? prev + x : x;
        out.push(prev);
        v = 0; mult = 1;
    }
    return out;
}

// The marker of one incident, shared by the app's layer and the HTML export: colour is the
// event type, size the fatalities, solid/faded/ring the place precision (``style``), a
// dotted outline when the fatalities are unknown.
function iaMarkerIcon(color, style, precisionCode, size, unknown) {
    var css = "display:block;box-sizing:border-box;width:" + size + "px;height:" + size +
        "px;border-radius:50%;background:" + color + ";";
    if (style === "solid") {
        css += "border:2px solid #fff;box-shadow:0 0 0 1px " + color + ";";
    } else if (style === "faded") {
        css += "opacity:0.85;border:2px solid " + color + ";background:" + color + "99;";
    } else {
        css += "border:2px dashed " + color + ";background:" + color + "26;";
    }
    if (unknown) { css += "outline:1px dotted #333;outline-offset:1px;"; }
    return L.divIcon({className: "ia-marker ia-p-" + precisionCode,
                      html: "<span style=\"" + css + "\"></span>", iconSize: [size, size]});
}

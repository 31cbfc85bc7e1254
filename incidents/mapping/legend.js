// Incident Atlas: the legend control (elements.Legend), collapsed at first in the bottom-left
// corner. ``html`` is the legend's markup in the map's language, built and escaped by the
// server; the app loads this file once with the map (static_data).
function iaLegend(map, html) {
    var legend = L.control({position: "bottomleft"});
    legend.onAdd = function () {
        var div = L.DomUtil.create("div", "ia-legend");
        div.style.cssText = "background:rgba(255,255,255,0.94);padding:6px 9px;" +
            "border-radius:6px;font:11px/1.4 system-ui,sans-serif;color:#222;" +
            "box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:210px";
        div.innerHTML = html;
        // On a phone-sized map the open legend would hide half of it: start closed.
        if (map.getSize().x < 500) {
            div.querySelector("details").removeAttribute("open");
        }
        L.DomEvent.disableClickPropagation(div);
        return div;
    };
    legend.addTo(map);
    return legend;
}

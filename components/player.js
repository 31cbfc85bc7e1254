// Incident Atlas: the timeline player (a Streamlit components.v2 component, in the page).
// Playback runs here, in the browser: every window of the playback comes precomputed from
// the server (incidents.timeline.play_windows) with its count of incidents, and each step
// moves the map layer's time window in place (window.iaTime, set by incident_layer.js in the
// map's iframe). The server hears of the window once, when the playback pauses or ends, so
// a step costs no rerun: the map keeps its zoom and centre and no panel goes stale. Grid
// bins cannot be filtered by time as they are: Play asks the server once ("play", a key)
// for bins that carry their counts in every window (incidents/mapping/timed_bins.py) and
// waits until the map's window.iaTime has that key. Where the layer cannot follow time at
// all (the heatmap), each step is sent to the server.
// Windows and counts come packed (incidents.mapping.elements.pack_ints: base64 varints of
// zigzag deltas): a few bytes a step instead of a JSON pair, on every rerun that sends them.
function varints(text) {  // zigzag LEB128 varints, as written
    const bytes = atob(text), out = [];
    let v = 0, mult = 1;
    for (let j = 0; j < bytes.length; j++) {
        const b = bytes.charCodeAt(j);
        v += (b & 127) * mult;
        if (b & 128) { mult *= 128; continue; }
        out.push(v % 2 ? -(v + 1) / 2 : v / 2);
        v = 0; mult = 1;
    }
    return out;
}

function unpackInts(text) {  // delta-coded: the running sums
    let prev = 0;
    return varints(text).map((d) => (prev += d));
}

// Days come as delta varints (`name`) or, when shorter, as runs of equal steps
// (`nameRuns`: step, times, step, times...): components/player.py, _packed_days.
function days(data, name) {
    if (typeof data[name + "Runs"] !== "string") { return unpackInts(data[name]); }
    const runs = varints(data[name + "Runs"]), out = [];
    let day = 0;
    for (let j = 0; j + 1 < runs.length; j += 2) {
        for (let k = 0; k < runs[j + 1]; k++) { day += runs[j]; out.push(day); }
    }
    return out;
}

function unpacked(data) {
    if (typeof data.ends !== "string" && typeof data.endsRuns !== "string") { return data; }
    const ends = days(data, "ends");
    const starts = data.start === undefined ? days(data, "starts") : ends.map(() => data.start);
    const frames = starts.map((start, k) => [start, ends[k]]);
    const counts = typeof data.counts2 === "string"  // differences of differences
        ? (() => { let c = 0; return unpackInts(data.counts2).map((d) => (c += d)); })()
        : unpackInts(data.counts);
    return Object.assign({}, data, {frames: frames, counts: counts});
}

export default function player(component) {
    const { setTriggerValue, parentElement } = component;
    const data = unpacked(component.data);
    const root = parentElement.querySelector(".ia-player");
    if (!root.querySelector(".ia-play")) {  // the words come below, in the session's language
        root.innerHTML = '<button class="ia-back" type="button">&#x23EE;</button>' +
            '<button class="ia-play" type="button" aria-pressed="false"></button>' +
            '<button class="ia-fwd" type="button">&#x23ED;</button>' +
            '<span class="ia-label"></span> <span class="ia-window"></span>';
    }
    // One player per page; its state outlives re-renders, so a rerun does not stop playback.
    const g = window.__iaPlayer || (window.__iaPlayer = { playing: false, timer: null, i: 0 });
    g.root = root;
    g.send = setTriggerValue;
    const sameFrames = g.data && JSON.stringify(g.data.frames) === JSON.stringify(data.frames);
    g.data = data;
    if (!sameFrames) { g.i = 0; }

    const DAY = 86400000;
    // The words, in the session's language (components/player.py), and dates written as the
    // server writes them (a medium date: "Sep 17, 2024", "17 sept. 2024").
    const S = data.strings;
    root.querySelector(".ia-back").title = S.stepBack;
    root.querySelector(".ia-back").setAttribute("aria-label", S.stepBack);
    root.querySelector(".ia-fwd").title = S.stepForward;
    root.querySelector(".ia-fwd").setAttribute("aria-label", S.stepForward);
    root.querySelector(".ia-label").textContent = S.window;
    root.setAttribute("aria-label", S.player);
    const fmt = (day) => new Date(day * DAY).toLocaleDateString(S.lang, {
        timeZone: "UTC", day: "numeric", month: "short", year: "numeric"});
    const iso = (day) => new Date(day * DAY).toISOString().slice(0, 10);

    function mapTime() {
        for (const frame of document.querySelectorAll("iframe")) {
            try {
                if (frame.contentWindow && frame.contentWindow.iaTime) {
                    return frame.contentWindow.iaTime;
                }
            } catch (e) { /* another origin: not the map */ }
        }
        return null;
    }

    // The map's time control when it can play this playback itself, else null.
    function ready() {
        const time = mapTime();
        if (!time) { return null; }
        if (g.data.client) { return time; }
        return g.wait && time.key === g.wait ? time : null;
    }

    // Every date the page shows says the same as the map while playing.
    function show(w, count) {
        const days = w[1] - w[0] + 1;
        g.root.querySelector(".ia-window").textContent =
            fmt(w[0]) + " \u2192 " + fmt(w[1]) + " \u00b7 " +
            (S.days[new Intl.PluralRules(S.lang).select(days)] || S.days.other)
                .replace("{n}", days.toLocaleString(S.lang));
        g.root.dataset.window = iso(w[0]) + "/" + iso(w[1]);
        const caption = document.querySelector(".st-key-window_caption p");
        if (caption) {
            caption.textContent = S.windowCaption.replace("{start}", fmt(w[0]))
                .replace("{end}", fmt(w[1]));
        }
        // The sidebar's date range (react-aria date fields: one span per year, month, day).
        for (const [field, day] of [["start", w[0]], ["end", w[1]]]) {
            const box = document.querySelector(".st-key-f_dates [data-range-field='" + field + "']");
            if (!box) { continue; }
            const parts = iso(day).split("-");
            [["year", parts[0]], ["month", parts[1]], ["day", parts[2]]].forEach(([type, v]) => {
                const span = box.querySelector("[data-type='" + type + "']");
                if (span) { span.textContent = v; }
            });
        }
        if (count !== undefined && count !== null) {
            const value = document.querySelector(
                ".st-key-metric_incidents [data-testid='stMetricValue'] div") ||
                document.querySelector(".st-key-metric_incidents [data-testid='stMetricValue']");
            if (value) { value.textContent = count.toLocaleString(S.lang); }
        }
    }

    function setButton() {
        const play = g.root.querySelector(".ia-play");
        play.textContent = g.playing ? "\u275a\u275a " + S.pause : "\u25b6 " + S.play;
        play.setAttribute("aria-pressed", g.playing ? "true" : "false");
        g.root.dataset.playing = g.playing ? "true" : "false";
    }

    function stop(report) {
        if (g.timer) { clearTimeout(g.timer); g.timer = null; }
        const was = g.playing;
        g.playing = false;
        g.wait = null;
        setButton();
        if (report && was) {
            const w = g.data.frames[g.i];
            g.send("window", [iso(w[0]), iso(w[1])]);
        }
    }

    function tick() {
        g.timer = null;
        if (!g.playing) { return; }
        if (!document.contains(g.root)) { stop(false); return; }  // the page was left
        const frames = g.data.frames;
        if (g.i >= frames.length - 1) { stop(true); return; }
        const time = ready();
        if (!time && g.wait && Date.now() - g.waitSince < 20000) {
            g.timer = setTimeout(tick, 50);  // the bins for this playback are on their way
            return;
        }
        g.i += 1;
        const w = frames[g.i];
        if (time) {
            time.setWindow(w[0], w[1]);
            show(w, g.data.counts[g.i]);
            if (g.i >= frames.length - 1) { stop(true); return; }
        } else {
            show(w, g.data.counts[g.i]);
            g.send("window", [iso(w[0]), iso(w[1])]);  // the server redraws the layer
        }
        g.timer = setTimeout(tick, g.data.interval);
    }

    if (!root.dataset.wired) {
        root.dataset.wired = "1";
        root.querySelector(".ia-play").addEventListener("click", () => {
            if (g.playing) { stop(true); return; }
            g.playing = true;
            g.i = 0;
            g.wait = null;
            if (!g.data.client && g.data.timed) {
                g.wait = String(Date.now());
                g.waitSince = Date.now();
                g.send("play", g.wait);
            }
            const w = g.data.frames[0];
            const time = ready();
            if (time) { time.setWindow(w[0], w[1]); }
            show(w, g.data.counts[0]);
            setButton();
            g.timer = setTimeout(tick, g.data.interval);
        });
        root.querySelector(".ia-back").addEventListener("click", () => {
            stop(false);
            g.send("step", -1);
        });
        root.querySelector(".ia-fwd").addEventListener("click", () => {
            stop(false);
            g.send("step", 1);
        });
    }
    if (!g.playing) {
        show(data.window);
        // A playback ended without a word to the server (the page was left): the map must
        // show the window again, not the playback's bins.
        if (data.playback) { g.send("stop", Date.now()); }
    }
    setButton();
}

// Draws one Plotly figure sent by dashboard/explore/chart_element.py as bytes: a JSON header
// (the figure, with {"$array": i} where a numeric array goes) and the arrays themselves,
// little-endian float64, each at a multiple of 8 bytes. Plotly.react is called once per new
// figure, on the same element, and what the person does on the time axis is sent back.

// The library's loading promises by URL, on the window under the name the header gives: the
// sidebar's preload (dashboard/shared/preload.py) may have started it already.
function plotlyFrom(path, key) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  const url = new URL(path, window.location.href).href;
  const loading = (window[key] = window[key] || {});
  if (!loading[url]) {
    loading[url] = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        delete loading[url];
        reject(new Error("The chart library could not be loaded from " + url));
      };
      document.head.appendChild(script);
    });
  }
  return loading[url];
}

function unpack(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength)));
  const start = header.body;
  // a copy: a typed array's view must start on a multiple of 8 in its buffer
  const body = bytes.slice(start).buffer;
  const arrays = header.arrays.map(([offset, length]) => new Float64Array(body, offset, length));
  const fill = (value) => {
    if (Array.isArray(value)) return value.map(fill);
    if (value && typeof value === "object") {
      if ("$array" in value) return arrays[value["$array"]];
      for (const key of Object.keys(value)) value[key] = fill(value[key]);
    }
    return value;
  };
  const figure = asWallClock(fill(header.figure));
  return { figure, plotly: header.plotly, loading: header.loading };
}

// Times cross as milliseconds of the chosen zone's wall clock. Plotly reads a number on a date
// axis as an instant and shows it in the browser's own zone (a Delft browser drew every time
// an hour late, a New York one five hours early); a date string it shows as written, in no
// zone. So every time on a date axis, and each date axis's range, becomes wall-clock text.
function wallClock(ms) {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 23).replace("T", " ") : null;
}

function asWallClock(figure) {
  const layout = figure.layout || {};
  const isDate = (axis) => (layout[axis] || {}).type === "date";
  for (const trace of figure.data || []) {
    const axis = "xaxis" + (trace.xaxis || "x").slice(1);
    if (isDate(axis) && trace.x && typeof trace.x.length === "number") {
      trace.x = Array.from(trace.x, (ms) => (typeof ms === "number" ? wallClock(ms) : ms));
    }
  }
  for (const key of Object.keys(layout)) {
    const range = key.startsWith("xaxis") && isDate(key) && layout[key].range;
    if (Array.isArray(range)) layout[key].range = range.map((ms) => (typeof ms === "number" ? wallClock(ms) : ms));
  }
  return figure;
}

// A full-screen button in the chart's own tool bar (four corners, drawn on a 20 x 20 grid)
const CORNERS = {
  width: 20,
  height: 20,
  path: "M0 0h7v2H2v5H0zM13 0h7v7h-2V2h-5zM0 13h2v5h5v2H0zM18 13h2v7h-7v-2h5z",
};

function sized(chart, figure) {
  // full screen: the chart fills the screen; otherwise the column's width and the height
  // the figure asks for (a copy each time: Plotly writes its own sizes into a layout)
  if (document.fullscreenElement === chart) {
    return { ...figure.layout, width: window.innerWidth, height: window.innerHeight };
  }
  const layout = { ...figure.layout, width: undefined, height: figure.height };
  if (narrow(chart)) {
    layout.hoverlabel = { ...layout.hoverlabel, font: { ...(layout.hoverlabel || {}).font, size: 11 } };
  }
  return layout;
}

function narrow(chart) {
  return (chart.parentElement ? chart.parentElement.clientWidth : 1000) < 600;
}

// On a phone the hover box's lines ("thing · property · dimension  value") made it wider
// than the screen, and Plotly put it past the left edge: each trace's name in it is cut
// to fit (the legend keeps the whole name). Written as text: "<" and "%{" are not markup.
function fitted(chart, data) {
  if (!narrow(chart)) return data;
  const room = Math.max(12, Math.floor(chart.parentElement.clientWidth / 14));
  return data.map((trace) => {
    const name = String(trace.name || "");
    if (!trace.hovertemplate || name.length <= room) return trace;
    const cut = (name.slice(0, room - 1) + "…").replace(/&/g, "&amp;").replace(/</g, "&lt;");
    const extra = "<extra>" + cut.replace(/%\{/g, "%&#123;") + "</extra>";
    return { ...trace, hovertemplate: trace.hovertemplate.replace(/<extra>.*<\/extra>$/s, extra) };
  });
}

// What the person does on the time axis goes back to the page as triggers: "span", the x
// range of a box, a zoom, a pan or the wheel (the wheel and a pan send many ranges: only
// the last, once the hand has rested SETTLE_MS); "back", a double click on the plot area,
// told by two presses close in time and place (the browser's dblclick never reaches the
// chart: Plotly covers the page while a button is down; and in select mode Plotly reports
// a double click only as a deselect, which a single click beside a drawn box also sends).
const SETTLE_MS = 400;
const DOUBLE_MS = 500;

function watch(chart, Plotly) {
  let pending;
  const span = (x, wait) => {
    clearTimeout(pending);
    pending = setTimeout(() => chart.sendTrigger("span", x.map(String)), wait);
  };
  let press = { at: 0, x: 0, y: 0 };
  const back = (event) => {
    if (!event.target.closest(".draglayer")) return; // not the legend or the tool bar
    const now = { at: event.timeStamp, x: event.clientX, y: event.clientY };
    const twice =
      now.at - press.at < DOUBLE_MS && Math.hypot(now.x - press.x, now.y - press.y) < 6;
    press = twice ? { at: 0, x: 0, y: 0 } : now;
    if (!twice) return;
    clearTimeout(pending);
    chart.sendTrigger("back", Date.now());
  };
  // a stacked layout has one x axis per chart (x, x2, ...), shared: any of them is the range
  chart.on("plotly_selected", (event) => {
    const range = (event && event.range) || {};
    const key = Object.keys(range).find((k) => /^x\d*$/.test(k));
    const x = key && range[key];
    if (x && x.length === 2) span(x, 0);
  });
  chart.on("plotly_relayout", (event) => {
    for (const axis of Object.keys(event).map((k) => k.split(".")[0])) {
      if (!/^xaxis\d*$/.test(axis)) continue;
      const x = event[axis + ".range"] || [event[axis + ".range[0]"], event[axis + ".range[1]"]];
      if (x[0] !== undefined && x[1] !== undefined) return span(x, SETTLE_MS);
    }
  });
  chart.addEventListener("pointerdown", back, true); // before Plotly's own handlers
  // the column's width changes without a window resize (the sidebar opens or closes)
  // (gone or hidden: turning Live off removes the chart, and Plotly refuses to resize a
  // chart that is not displayed, with an uncaught error)
  const resized = new ResizeObserver(() => {
    if (!chart.isConnected) return resized.disconnect();
    if (!chart.layout || chart.offsetParent === null) return;
    if (document.fullscreenElement !== chart) Plotly.Plots.resize(chart).catch(() => {});
  });
  resized.observe(chart.parentElement);
  chart.addEventListener("fullscreenchange", () => {
    if (chart.figure) draw(chart, Plotly, chart.figure);
  });
}

function draw(chart, Plotly, figure) {
  chart.figure = figure;
  const config = {
    ...figure.config,
    modeBarButtonsToAdd: [
      {
        name: "fullscreen",
        title: "Full screen",
        icon: CORNERS,
        click: () =>
          document.fullscreenElement ? document.exitFullscreen() : chart.requestFullscreen(),
      },
    ],
  };
  // a figure that arrives while the previous one is drawn waits for it (one at a time)
  chart.drawing = (chart.drawing || Promise.resolve()).catch(() => {}).then(() =>
    Plotly.react(chart, fitted(chart, figure.data), sized(chart, figure), config)
  );
  return chart.drawing;
}

export default async function ({ data, parentElement, setTriggerValue }) {
  const chart = parentElement.querySelector(".bucket-chart");
  if (!chart || !data) return;
  chart.sendTrigger = setTriggerValue; // the latest: the listeners bound once use it
  const { figure, plotly, loading } = unpack(data);
  figure.height = figure.layout.height;
  let Plotly;
  try {
    Plotly = await plotlyFrom(plotly, loading);
  } catch (error) {
    chart.textContent = error.message;
    return;
  }
  await draw(chart, Plotly, figure);
  if (!chart.watched) {
    chart.watched = true;
    watch(chart, Plotly);
  }
}

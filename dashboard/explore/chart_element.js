// Draws one Plotly figure sent by dashboard/explore/chart_element.py as bytes: a JSON header
// (the figure, with {"$array": i} where a numeric array goes) and the arrays themselves,
// little-endian float64, each at a multiple of 8 bytes. Plotly.react is called once per new
// figure, on the same element, and a box drawn on the chart is sent back as a trigger.

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
  return { figure: fill(header.figure), plotly: header.plotly, loading: header.loading };
}

export default async function ({ data, parentElement, setTriggerValue }) {
  const chart = parentElement.querySelector(".bucket-chart");
  if (!chart || !data) return;
  chart.sendTrigger = setTriggerValue; // the latest: a listener bound once uses it
  const { figure, plotly, loading } = unpack(data);
  let Plotly;
  try {
    Plotly = await plotlyFrom(plotly, loading);
  } catch (error) {
    chart.textContent = error.message;
    return;
  }
  // a figure that arrives while the previous one is drawn waits for it (one at a time)
  const previous = chart.drawing || Promise.resolve();
  chart.drawing = previous.then(() =>
    Plotly.react(chart, figure.data, figure.layout, figure.config)
  );
  await chart.drawing;
  if (!chart.boxListener) {
    chart.boxListener = (event) => {
      const x = event && event.range && event.range.x;
      if (x && x.length === 2) chart.sendTrigger("box", x.map(String));
    };
    chart.on("plotly_selected", chart.boxListener);
  }
}

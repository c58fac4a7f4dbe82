// Explore's live view of properties a phone is streaming into: the chart asks the app for
// samples newer than the last it drew (/phone/live, four times a second) and adds them with
// Plotly.extendTraces: the figure is never rebuilt, so it keeps up for as long as a demo runs.
// Times are drawn as the chosen zone's wall clock (see chart_element.js: Plotly shows a
// number on a date axis in the browser's own zone).
const POLL_MS = 250;

function wallClockIn(zone) {
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3,
  });
  return (ms) => {
    const p = Object.fromEntries(format.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}.${p.fractionalSecond}`;
  };
}

function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => reject(new Error("The chart library could not be loaded from " + url));
    document.head.appendChild(script);
  });
}

export default async function ({ data, parentElement }) {
  const chart = parentElement.querySelector(".bucket-follow");
  const said = parentElement.querySelector(".bucket-follow-said");
  if (!chart || !data) return;
  const spec = JSON.parse(data);
  if (chart.dataset.spec === data) return;  // the same chart: it goes on following
  chart.dataset.spec = data;
  if (chart._stop) chart._stop();
  const Plotly = await loadPlotly(spec.plotly);
  const clock = wallClockIn(spec.zone);
  // a trace per (property, dimension): [property id, index of the value in a sample]
  const traces = spec.traces.map((t) => ({
    x: [], y: [], name: t.name, mode: "lines+markers", marker: { size: 4 }, type: "scattergl",
  }));
  const layout = {
    margin: { l: 50, r: 10, t: 10, b: 40 }, height: 360, showlegend: true,
    legend: { orientation: "h", y: -0.2 },
    xaxis: { type: "date", title: { text: "Time (" + spec.zone + ")" } },
    yaxis: { title: { text: spec.unit } },
  };
  await Plotly.react(chart, traces, layout, { displaylogo: false, responsive: true });
  let after = Date.now() - spec.recent_ms, stopped = false, drawn = 0;
  chart._stop = () => { stopped = true; };
  async function poll() {
    if (stopped || !chart.isConnected) return;
    try {
      const answer = await fetch(spec.live + "?after=" + after, {
        headers: { "X-Live-Ticket": spec.ticket }, cache: "no-store",
      });
      if (answer.ok) {
        const rows = (await answer.json()).rows || {};
        const xs = [], ys = [], which = [];
        spec.traces.forEach((t, i) => {
          const mine = rows[t.property] || [];
          if (!mine.length) return;
          xs.push(mine.map((r) => clock(r[0])));
          ys.push(mine.map((r) => r[t.index]));
          which.push(i);
          after = Math.max(after, mine[mine.length - 1][0]);
          drawn += mine.length;
        });
        if (which.length) {
          Plotly.extendTraces(chart, { x: xs, y: ys }, which, spec.keep);
          chart.dataset.newest = String(after);  // for a reader (and the latency bench)
          said.textContent = drawn + " samples drawn as they arrived; newest at " + clock(after).slice(11, 19) + ".";
        }
      } else {
        said.textContent = "Live samples cannot be read (" + answer.status + "): reload the page.";
      }
    } catch (err) {
      said.textContent = "Live samples cannot be read: " + err.message;
    }
    setTimeout(poll, POLL_MS);
  }
  poll();
}

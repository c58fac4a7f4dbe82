// The phone's page: claim the link's code once, then take motion (and location) samples at
// the chosen rate, each with its own time, and send them in small batches. A batch stays in
// this browser (localStorage) until the server acknowledges it, so a reload, a closed tab
// or a lost network loses nothing that was counted as sent; it is sent again, and the
// server takes a batch once however often it arrives.
(function () {
  "use strict";
  const KEY = "bucket-phone-key";
  const OUTBOX = "bucket-phone-outbox";
  const COUNTS = "bucket-phone-counts";
  const SEND_EVERY_MS = 500;
  const $ = (id) => document.getElementById(id);
  const show = (id, text) => { const e = $(id); e.textContent = text; e.hidden = !text; };
  const fmt = (v) => (v === null || v === undefined || Number.isNaN(v) ? "–" : v.toFixed(2));
  const RAD = Math.PI / 180;

  let grant = null, running = false, sending = false, watch = null;
  let queue = {}, last = {}, lastTaken = {}, retryAt = 0, failures = 0;
  let counts = JSON.parse(localStorage.getItem(COUNTS) || '{"taken":0,"sent":0}');
  let outbox = JSON.parse(localStorage.getItem(OUTBOX) || "[]");

  function saveOutbox() {
    localStorage.setItem(OUTBOX, JSON.stringify(outbox));
    localStorage.setItem(COUNTS, JSON.stringify(counts));
  }
  function waitingInOutbox() {
    return outbox.reduce((n, b) => n + Object.values(b.samples).reduce((m, r) => m + r.length, 0), 0);
  }
  function drawCounts(status) {
    $("taken").textContent = counts.taken;
    $("sent").textContent = counts.sent;
    if (status) {
      $("stored").textContent = status.stored;
      $("waiting").textContent = status.pending + waitingInOutbox() + " (" + status.pending +
        " on the app, written to Bucket every " + grant.flush_s + " s; " + waitingInOutbox() +
        " on this phone)";
      show("problem", status.problem ? "Bucket: " + status.problem : "");
    }
  }
  function has(sensor) { return grant.targets.some((t) => t.sensor === sensor); }

  function take(sensor, t, values) {
    const gap = 1000 / Number($("rate").value);
    if (!has(sensor) || (lastTaken[sensor] !== undefined && t - lastTaken[sensor] < gap)) return;
    if (lastTaken[sensor] !== undefined && t <= lastTaken[sensor]) return;
    lastTaken[sensor] = t;
    (queue[sensor] = queue[sensor] || []).push([t, ...values]);
    counts.taken += 1;
  }

  function onMotion(e) {
    const t = Math.round(performance.timeOrigin + e.timeStamp);
    const a = e.accelerationIncludingGravity || {};
    const r = e.rotationRate || {};
    if (a.x !== null && a.x !== undefined) {
      take("ACCELEROMETER", t, [a.x, a.y, a.z]);
      last.motion = "x " + fmt(a.x) + " · y " + fmt(a.y) + " · z " + fmt(a.z) + " m/s²";
    }
    if (r.alpha !== null && r.alpha !== undefined) {
      take("GYROSCOPE", t, [r.beta * RAD, r.gamma * RAD, r.alpha * RAD]);
      last.rotation = "x " + fmt(r.beta * RAD) + " · y " + fmt(r.gamma * RAD) + " · z " +
        fmt(r.alpha * RAD) + " rad/s";
    }
  }
  function onPosition(p) {
    take("LOCATION", Math.round(p.timestamp), [p.coords.longitude, p.coords.latitude]);
    last.location = fmt(p.coords.latitude) + "° N, " + fmt(p.coords.longitude) + "° E (±" +
      Math.round(p.coords.accuracy) + " m)";
  }

  async function start() {
    show("problem", "");
    const Motion = window.DeviceMotionEvent;
    if ((has("ACCELEROMETER") || has("GYROSCOPE")) && Motion && typeof Motion.requestPermission === "function") {
      try {  // iOS 13 and later: asked once, from this tap
        if ((await Motion.requestPermission()) !== "granted") {
          show("problem", "Motion was not allowed. In Settings > Safari, allow Motion & Orientation Access, then tap Start again.");
          return;
        }
      } catch (err) { show("problem", "Motion could not be asked for: " + err.message); return; }
    }
    if (has("ACCELEROMETER") || has("GYROSCOPE")) window.addEventListener("devicemotion", onMotion);
    if (has("LOCATION")) {
      if (!navigator.geolocation) { show("problem", "This browser gives no location."); }
      else {
        watch = navigator.geolocation.watchPosition(onPosition, (err) => {
          show("problem", "Location: " + (err.code === 1 ? "not allowed (allow it for this site in the browser's settings)" : err.message));
        }, { enableHighAccuracy: true, maximumAge: 0 });
      }
    }
    running = true;
    $("start").disabled = true; $("stop").disabled = false; $("rate").disabled = true;
    $("state").textContent = "streaming";
  }
  function stop() {
    window.removeEventListener("devicemotion", onMotion);
    if (watch !== null) navigator.geolocation.clearWatch(watch);
    watch = null; running = false;
    $("start").disabled = false; $("stop").disabled = true; $("rate").disabled = false;
    $("state").textContent = "stopped";
    pack();
  }

  function pack() {
    if (!Object.keys(queue).length) return;
    const batch = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
    outbox.push({ key: localStorage.getItem(KEY), batch, samples: queue });  // sent with its own link's key
    queue = {};
    saveOutbox();
  }

  async function post(path, body, key = localStorage.getItem(KEY)) {
    const headers = { "Content-Type": "application/json" };
    if (key) headers["X-Phone-Key"] = key;
    return fetch(path, { method: body === undefined ? "GET" : "POST", headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  }

  async function send() {
    if (sending || !outbox.length || Date.now() < retryAt) return;
    sending = true;
    try {
      const batch = outbox[0];
      const answer = await post("phone/samples", { batch: batch.batch, samples: batch.samples }, batch.key);
      const body = await answer.json().catch(() => ({}));
      if (answer.ok) {
        outbox.shift();
        counts.sent += Object.values(batch.samples).reduce((n, r) => n + r.length, 0);
        saveOutbox(); failures = 0; show("sending", "");
        drawCounts(body);
      } else if (answer.status >= 500 || answer.status === 429) {
        throw new Error(body.message || "the app answered " + answer.status);
      } else {
        stop();
        show("problem", "Not stored: " + (body.message || "the app answered " + answer.status) +
          ". " + waitingInOutbox() + " samples were not sent.");
        outbox = []; saveOutbox();
      }
    } catch (err) {
      failures += 1;
      retryAt = Date.now() + Math.min(30000, 1000 * 2 ** Math.min(failures, 5));
      show("sending", "Offline or the app is unreachable (" + err.message + "): " + waitingInOutbox() +
        " samples kept on this phone, sent again in " + Math.round((retryAt - Date.now()) / 1000) + " s.");
    } finally { sending = false; }
  }

  async function refreshStatus() {
    const answer = await post("phone/status").catch(() => null);
    if (!answer) return;
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) { show("problem", body.message || "Not connected."); return; }
    drawCounts(body);
    if (body.state === "revoked" || body.state === "expired") {
      if (running) stop();
      show("problem", "This link has " + (body.state === "revoked" ? "been revoked" : "expired") + ": scan a new code to go on.");
      $("start").disabled = true;
    }
  }

  function describe() {
    $("targets").textContent = grant.targets.map((t) => t.label).join(", ");
    $("expires").textContent = new Date(grant.expires_ms).toLocaleTimeString();
    const rate = $("rate");
    rate.replaceChildren(...grant.rates_hz.map((hz) => {
      const o = document.createElement("option");
      o.value = hz; o.textContent = hz + " Hz"; o.selected = hz === grant.rate_hz; return o;
    }));
    if (!has("LOCATION")) last.location = "not asked for (this link writes no location)";
    $("stream").hidden = false;
  }

  async function connect() {
    const code = decodeURIComponent(location.hash.replace(/^#(code=)?/, ""));
    if (code) {
      history.replaceState(null, "", location.pathname);  // the code is used once: off the address bar
      const answer = await fetch("phone/claim", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code }) });
      const body = await answer.json().catch(() => ({}));
      if (!answer.ok) {
        if (!localStorage.getItem(KEY)) { show("problem", body.message || "This link does not work."); $("connect").hidden = false; return; }
      } else {
        localStorage.setItem(KEY, body.key);
        counts = { taken: 0, sent: 0 };
        saveOutbox();
      }
    }
    if (!localStorage.getItem(KEY)) { $("connect").hidden = false; return; }
    const answer = await post("phone/status");
    const body = await answer.json().catch(() => ({}));
    if (!answer.ok) { show("problem", body.message || "Not connected."); $("connect").hidden = false; return; }
    grant = body;
    describe();
    drawCounts(body);
    if (body.state === "revoked" || body.state === "expired") {
      show("problem", "This link has " + (body.state === "revoked" ? "been revoked" : "expired") + ": scan a new code to go on.");
      $("start").disabled = true;
    }
  }

  if (!window.isSecureContext) {
    show("insecure", "This page was opened over plain http from another machine, so the phone " +
      "will not give it motion or location: browsers give sensors only to secure pages (https, " +
      "or this machine's own localhost). Open the app's https address (the classroom set-up in " +
      "docs/teachers.md), accept its certificate, and scan again.");
  }
  $("start").addEventListener("click", start);
  $("stop").addEventListener("click", stop);
  setInterval(() => {
    if (running) pack();
    send();
    $("motion").textContent = last.motion || "–";
    $("rotation").textContent = last.rotation || "–";
    $("location").textContent = last.location || "–";
    if (grant) drawCounts();
  }, SEND_EVERY_MS);
  setInterval(() => { if (grant) refreshStatus(); }, 5000);
  window.addEventListener("pagehide", () => { if (running) pack(); });
  connect();
})();

// Phát ngay / Khẩn cấp: validate, confirm in a dialog that says exactly what will happen, send,
// then follow each loudspeaker's acknowledgement and playback by polling the broadcast's status.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("bc-data").textContent);
  const L = data.text;
  const tz = document.documentElement.dataset.tz || "Asia/Ho_Chi_Minh";
  const POLL_MS = 1000;
  const FINAL = ["finished", "failed", "preempted", "skipped", "rejected"];
  let pollTimer = null;

  const fill = (tpl, values) => tpl.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const hms = (d) => new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit",
    minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(d);

  // --- the form's content ------------------------------------------------------------------
  function bindSource(form, prefix) {
    const radios = form.querySelectorAll(`input[name="${prefix}-source"]`);
    const sync = () => {
      const mode = form.querySelector(`input[name="${prefix}-source"]:checked`).value;
      form.querySelectorAll("[data-source]").forEach((el) => { el.hidden = el.dataset.source !== mode; });
    };
    radios.forEach((r) => r.addEventListener("change", sync));
    sync();
  }

  function content(form, prefix) {
    const mode = form.querySelector(`input[name="${prefix}-source"]:checked`).value;
    if (mode === "media") {
      const select = form.querySelector(`#${prefix}-media`);
      if (!select.value) return { error: L.need_media, focus: select };
      const label = select.selectedOptions[0].textContent.replace(/\s*\([^)]*\)\s*$/, "");
      return { body: { media_ids: [Number(select.value)] }, title: label };
    }
    const text = form.querySelector(`#${prefix}-text`);
    const title = form.querySelector(`#${prefix}-title`).value.trim();
    if (!text.value.trim()) return { error: L.need_text, focus: text };
    const body = { text: text.value.trim() };
    if (title) body.title = title;
    return { body, title: title || L.text_title };
  }

  function say(form, text) { form.querySelector("[data-msg]").textContent = text || ""; }

  // --- confirmation ------------------------------------------------------------------------
  const dialog = document.getElementById("bc-dialog");
  let onConfirm = null;
  function confirmThen(text, emergency, action) {
    const p = document.getElementById("bc-dialog-text");
    p.textContent = text;
    p.classList.toggle("emergency", emergency);
    onConfirm = action;
    dialog.showModal();
    document.getElementById("bc-dialog-no").focus();
  }
  document.getElementById("bc-dialog-no").addEventListener("click", () => dialog.close());
  document.getElementById("bc-dialog-yes").addEventListener("click", () => {
    dialog.close();
    const action = onConfirm;
    onConfirm = null;
    if (action) action();
  });

  const startText = () => `${hms(new Date(Date.now() + data.lead_ms))} (${L.about} ${Math.round(data.lead_ms / 1000)} ${L.seconds})`;

  async function send(form, path, body, what) {
    say(form, L.sending);
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const answer = await TT.post(path, body);
      say(form, "");
      follow(answer.id, what, path.endsWith("/stop"));
    } catch (err) {
      say(form, err.status ? err.message : L.network_error);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  // --- broadcast now -------------------------------------------------------------------------
  const nowForm = document.getElementById("bc-now-form");
  const all = document.getElementById("bc-all");
  const zoneBoxes = () => Array.from(nowForm.querySelectorAll('input[name="zone"]'));
  all.addEventListener("change", () => zoneBoxes().forEach((b) => { b.disabled = all.checked; }));
  bindSource(nowForm, "bc");
  nowForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const chosen = zoneBoxes().filter((b) => b.checked);
    if (!all.checked && chosen.length === 0) { say(nowForm, L.need_zone); zoneBoxes()[0]?.focus(); return; }
    const c = content(nowForm, "bc");
    if (c.error) { say(nowForm, c.error); c.focus.focus(); return; }
    say(nowForm, "");
    const body = Object.assign({ priority: nowForm.querySelector("#bc-priority").value }, c.body);
    if (all.checked) body.all = true; else body.zones = chosen.map((b) => b.value);
    const targets = all.checked ? L.whole_commune : chosen.map((b) => b.dataset.name).join(", ");
    const text = fill(L.confirm_play, { title: c.title, targets, time: startText() });
    confirmThen(text, false, () => send(nowForm, "/api/v1/broadcasts", body, `${L.now_title}: ${c.title}`));
  });

  // --- emergency -----------------------------------------------------------------------------
  const emForm = document.getElementById("bc-emergency-form");
  bindSource(emForm, "bce");
  emForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const c = content(emForm, "bce");
    if (c.error) { say(emForm, c.error); c.focus.focus(); return; }
    say(emForm, "");
    const body = Object.assign({ all: true, emergency: true }, c.body);
    const text = fill(L.confirm_emergency, { title: c.title, site: data.site, time: startText() });
    confirmThen(text, true, () => send(emForm, "/api/v1/broadcasts", body, `${L.emergency_title}: ${c.title}`));
  });

  // --- stop ------------------------------------------------------------------------------------
  const stopForm = document.getElementById("bc-stop-form");
  stopForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    confirmThen(fill(L.confirm_stop, { site: data.site }), false,
      () => send(stopForm, "/api/v1/broadcasts/stop", {}, L.stop_title));
  });

  // --- live status -------------------------------------------------------------------------------
  function nodeState(n, isStop) {
    if (n.result && n.result !== "ok") return ["rejected", "st-bad"];
    if (n.failed) return ["failed", "st-bad"];
    if (n.rejected) return ["rejected", "st-bad"];
    if (n.finished) return ["finished", "st-ok"];
    if (n.preempted) return ["preempted", "st-bad"];
    if (n.skipped) return ["skipped", "st-bad"];
    if (n.started) return ["playing", "st-run"];
    if (n.acknowledged) return [isStop ? "stopped" : "acked", isStop ? "st-ok" : "st-run"];
    return ["waiting", ""];
  }

  function latest(n) {
    const times = ["acknowledged_at", ...FINAL, "started"].map((k) => n[k]).filter(Boolean);
    if (!times.length) return "—";
    return hms(new Date(times.sort((a, b) => new Date(b) - new Date(a))[0]));
  }

  function render(status, isStop) {
    const body = document.querySelector("#bc-status tbody");
    const rows = status.nodes.map((n) => {
      const [state, cls] = nodeState(n, isStop);
      const info = data.nodes[n.node] || { name: n.node, zone: "" };
      const tr = document.createElement("tr");
      tr.dataset.node = n.node;
      tr.dataset.state = state;
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = info.name;
      const cells = [[info.zone], [L[`st_${state}`], cls], [latest(n)]].map(([text, c]) => {
        const td = document.createElement("td");
        td.textContent = text || "—";
        if (c) td.className = c;
        return td;
      });
      tr.append(th, ...cells);
      return tr;
    });
    body.replaceChildren(...rows);
    const s = status.summary || {};
    document.getElementById("bc-status-summary").textContent = isStop
      ? fill(L.stop_summary, { ack: s.acknowledged || 0, total: s.nodes || 0 })
      : fill(L.status_summary, { ack: s.acknowledged || 0, total: s.nodes || 0,
        started: s.started || 0, finished: s.finished || 0, failed: s.failed || 0 });
    return status.nodes.every((n) => {
      const state = nodeState(n, isStop)[0];
      return isStop ? state !== "waiting" : FINAL.includes(state) || state === "rejected";
    });
  }

  function follow(id, what, isStop) {
    if (pollTimer) clearTimeout(pollTimer);
    const card = document.getElementById("bc-status-card");
    card.hidden = false;
    card.dataset.broadcast = id;
    document.getElementById("bc-status-what").textContent = what;
    document.getElementById("bc-status-start").textContent = "";
    document.querySelector("#bc-status tbody").replaceChildren();
    const deadline = Date.now() + (isStop ? 2 : 30) * 60 * 1000;
    const tick = async () => {
      if (card.dataset.broadcast !== id) return;
      try {
        const status = await TT.get(`/api/v1/broadcasts/${encodeURIComponent(id)}`);
        if (status.start) {
          document.getElementById("bc-status-start").textContent =
            fill(L.status_started_at, { time: hms(new Date(status.start)) });
        }
        if (render(status, isStop) || Date.now() > deadline) { card.dataset.done = "1"; return; }
      } catch (err) { /* keep trying: the network may come back */ }
      pollTimer = setTimeout(tick, POLL_MS);
    };
    card.dataset.done = "";
    tick();
    card.scrollIntoView({ behavior: "smooth", block: "start" });
  }
})();

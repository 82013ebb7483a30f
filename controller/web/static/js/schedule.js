// Lịch phát: the program list's actions on the calendar page, and the program editor (playlist,
// targets, recurrence picker, holiday presets) saving through /api/v1/programs, with the
// conflict dialog (override / append / cancel) and quiet-hour refusals shown to the officer.
// Every user-visible word comes from the page (data-* attributes or the #sch-data JSON block).
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- calendar page: pause / resume / submit / delete ------------------------------------

  function initProgramList() {
    const list = $("#sch-programs");
    if (!list) return;
    const status = $("#sch-status");
    list.addEventListener("click", async (event) => {
      const button = event.target.closest("button[data-action]");
      if (!button) return;
      const { id, action, title } = button.dataset;
      if (action === "delete" && !window.confirm(list.dataset.confirmDelete.replace("{title}", title))) return;
      button.disabled = true;
      try {
        if (action === "delete") await TT.del(`/api/v1/programs/${id}`);
        else await TT.post(`/api/v1/programs/${id}/${action}`);
        window.location.reload();
      } catch (err) {
        button.disabled = false;
        status.hidden = false;
        status.classList.add("error");
        status.textContent = err.message;
      }
    });
  }

  // --- editor ------------------------------------------------------------------------------

  function initEditor() {
    const form = $("#sch-form");
    if (!form) return;
    const data = JSON.parse($("#sch-data").textContent);
    const T = data.texts;
    const tz = document.documentElement.dataset.tz || "Asia/Ho_Chi_Minh";
    const media = new Map(data.media.map((m) => [m.id, m]));
    const program = data.program;
    let playlist = [];

    // Playlist: ordered media ids, with up / down / remove buttons per entry.
    const duration = (ms) => TT.mmss(ms);
    function move(index, delta) {
      const target = index + delta;
      if (target < 0 || target >= playlist.length) return;
      [playlist[index], playlist[target]] = [playlist[target], playlist[index]];
      renderPlaylist();
    }
    function renderPlaylist() {
      const list = $("#sch-playlist");
      list.replaceChildren();
      if (!playlist.length) {
        list.append(el("li", { class: "sch-empty" }, T.sch_playlist_empty));
        return;
      }
      playlist.forEach((id, index) => {
        const item = media.get(id) || { title: `#${id}`, duration_ms: 0 };
        const li = el("li", { class: "sch-pl-item", "data-media": String(id) });
        li.append(el("span", { class: "sch-pl-title" }, `${item.title} (${duration(item.duration_ms)})`));
        const tools = el("span", { class: "sch-pl-tools" });
        [["sch_up", -1], ["sch_down", 1]].forEach(([key, delta]) => {
          const b = el("button", { type: "button", "aria-label": `${T[key]}: ${item.title}` }, T[key]);
          b.addEventListener("click", () => move(index, delta));
          tools.append(b);
        });
        const remove = el("button", { type: "button", "aria-label": `${T.sch_remove}: ${item.title}` }, T.sch_remove);
        remove.addEventListener("click", () => { playlist.splice(index, 1); renderPlaylist(); });
        tools.append(remove);
        li.append(tools);
        list.append(li);
      });
    }
    const addButton = $("#sch-add");
    if (addButton) {
      addButton.addEventListener("click", () => {
        playlist.push(Number($("#sch-media-pick").value));
        renderPlaylist();
      });
    }

    // Targets: "toàn xã" disables the hamlet boxes.
    const all = $("#sch-all");
    const zoneBoxes = $$('input[name="zone"]');
    function syncTargets() { zoneBoxes.forEach((b) => { b.disabled = all.checked; }); }
    all.addEventListener("change", syncTargets);

    // Recurrence picker: show the panels of the chosen type.
    const typeRadios = $$('input[name="stype"]');
    const currentType = () => (typeRadios.find((r) => r.checked) || typeRadios[0]).value;
    function syncPanels() {
      const type = currentType();
      $$(".sch-panel").forEach((p) => { p.hidden = !p.dataset.for.split(" ").includes(type); });
    }
    typeRadios.forEach((r) => r.addEventListener("change", syncPanels));
    function setType(type) { typeRadios.forEach((r) => { r.checked = r.value === type; }); syncPanels(); }

    $$(".sch-preset").forEach((b) => b.addEventListener("click", () => {
      setType("holiday");
      $("#sch-holiday").value = b.dataset.holiday;
      $("#sch-offset").value = b.dataset.offset;
      $("#sch-time").value = b.dataset.time;
    }));

    // Civil time in the commune's zone <-> the fields.
    function localParts(iso) {
      if (!/[zZ]|[+-]\d\d:?\d\d$/.test(iso)) return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
      const text = new Intl.DateTimeFormat("sv-SE", { timeZone: tz, year: "numeric", month: "2-digit",
        day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
      return { date: text.slice(0, 10), time: text.slice(11, 16) };
    }
    function offsetOf(dateText, timeText) {
      const probe = new Date(`${dateText}T${timeText}:00Z`);
      const part = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })
        .formatToParts(probe).find((p) => p.type === "timeZoneName");
      const match = part && part.value.match(/([+-]\d\d):?(\d\d)/);
      return match ? `${match[1]}:${match[2]}` : "+00:00";
    }
    // Typed times and days: 24-hour HH:MM (also "7h30", "0730") and dd/mm/yyyy, whatever the
    // browser's own language would show in a native picker.
    function typedTime(sel) {
      const m = $(sel).value.trim().toLowerCase().match(/^(\d{1,2})\s*[:h.]?\s*(\d{2})?$/);
      if (!m) return null;
      const hour = Number(m[1]);
      const minute = Number(m[2] || 0);
      if (hour > 23 || minute > 59) return null;
      return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
    }
    function typedDay(sel) {
      const m = $(sel).value.trim().match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/);
      if (!m) return null;
      const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const probe = new Date(Date.UTC(year, month - 1, day));
      if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
      return `${m[3]}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    }
    const showDay = (iso) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : "");
    const checkedDays = (name) => $$(`input[name="${name}"]`).filter((b) => b.checked).map((b) => Number(b.value));
    function setDays(name, days) { $$(`input[name="${name}"]`).forEach((b) => { b.checked = (days || []).includes(Number(b.value)); }); }

    function fill(p) {
      $("#sch-title").value = p.title;
      playlist = p.media_ids.slice();
      all.checked = p.all;
      zoneBoxes.forEach((b) => { b.checked = (p.zones || []).includes(b.value); });
      $("#sch-priority").value = p.priority;
      $("#sch-volume").value = p.volume;
      $("#sch-repeat").value = p.repeat;
      $("#sch-gap").value = p.repeat_gap_s;
      $("#sch-valid-from").value = showDay(p.valid_from);
      $("#sch-valid-to").value = showDay(p.valid_to);
      const s = p.schedule;
      setType(s.type);
      if (s.time) $("#sch-time").value = s.time;
      if (s.type === "once") { const at = localParts(s.at); $("#sch-once-date").value = showDay(at.date); $("#sch-time").value = at.time; }
      if (s.type === "weekly") setDays("wday", s.days);
      if (s.type === "monthly") $("#sch-month-day").value = String(s.day);
      if (s.type === "cron") $("#sch-cron").value = s.expr;
      if (s.type === "holiday") { $("#sch-holiday").value = s.holiday; $("#sch-offset").value = s.offset_days; }
      if (s.type === "relay") {
        $("#sch-stream").value = p.stream_url || s.stream_url || "";
        $("#sch-relay-start").value = s.time;
        $("#sch-relay-end").value = s.end_time;
        setDays("rday", s.days);
      }
    }

    // Errors: one message box (role=alert) and the offending field marked.
    function clearError() {
      $("#sch-error").hidden = true;
      $$("[aria-invalid]", form).forEach((f) => f.removeAttribute("aria-invalid"));
    }
    function showError(title, text, field) {
      $("#sch-error-title").textContent = title || "";
      $("#sch-error-text").textContent = text || "";
      $("#sch-error").hidden = false;
      if (field) field.setAttribute("aria-invalid", "true");
      (field || $("#sch-error")).focus();
    }
    const FIELD_OF = {
      title: "#sch-title", media_ids: "#sch-media-pick", media: "#sch-media-pick", zones: "#sch-all",
      volume: "#sch-volume", repeat: "#sch-repeat", repeat_gap_s: "#sch-gap", valid_to: "#sch-valid-to",
      valid_from: "#sch-valid-from", expr: "#sch-cron", stream_url: "#sch-stream", at: "#sch-once-date",
      end_time: "#sch-relay-end", time: "#sch-time", days: "#sch-wd-0", holiday: "#sch-holiday", offset_days: "#sch-offset", priority: "#sch-priority",
    };

    function schedule(type) {
      const time = typedTime("#sch-time");
      switch (type) {
        case "once": {
          const day = typedDay("#sch-once-date");
          return { type, at: `${day}T${time}:00${offsetOf(day, time)}` };
        }
        case "daily": return { type, time };
        case "weekly": return { type, time, days: checkedDays("wday") };
        case "monthly": return { type, time, day: Number($("#sch-month-day").value) };
        case "cron": return { type, expr: $("#sch-cron").value.trim() };
        case "holiday": return { type, time, holiday: $("#sch-holiday").value, offset_days: Number($("#sch-offset").value || 0) };
        default: {
          const days = checkedDays("rday");
          const relay = { type: "relay", time: typedTime("#sch-relay-start"), end_time: typedTime("#sch-relay-end"),
                          recurrence: days.length ? "weekly" : "daily" };
          if (days.length) relay.days = days;
          return relay;
        }
      }
    }

    // Checks the browser can make before asking the server (which checks everything again).
    function localProblem(type) {
      const zones = zoneBoxes.filter((b) => b.checked).map((b) => b.value);
      const optionalDay = (sel) => $(sel).value.trim() && !typedDay(sel);
      if (!$("#sch-title").value.trim()) return [T.sch_err_title, "#sch-title"];
      if (type !== "relay" && !playlist.length) return [T.sch_err_playlist, "#sch-media-pick"];
      if (!all.checked && !zones.length) return [T.sch_err_targets, "#sch-all"];
      if (optionalDay("#sch-valid-from")) return [T.sch_err_date, "#sch-valid-from"];
      if (optionalDay("#sch-valid-to")) return [T.sch_err_date, "#sch-valid-to"];
      if (type === "once" && !typedDay("#sch-once-date")) return [T.sch_err_date, "#sch-once-date"];
      if (["once", "daily", "weekly", "monthly", "holiday"].includes(type) && !typedTime("#sch-time")) return [T.sch_err_time, "#sch-time"];
      if (type === "weekly" && !checkedDays("wday").length) return [T.sch_err_days, "#sch-wd-0"];
      if (type === "relay" && !typedTime("#sch-relay-start")) return [T.sch_err_time, "#sch-relay-start"];
      if (type === "relay" && !typedTime("#sch-relay-end")) return [T.sch_err_time, "#sch-relay-end"];
      return null;
    }

    function collect() {
      const type = currentType();
      const problem = localProblem(type);
      if (problem) { showError(T.sch_not_saved, problem[0], $(problem[1])); return null; }
      const num = (sel) => Number($(sel).value);
      const body = {
        title: $("#sch-title").value.trim(), media_ids: playlist.slice(), priority: $("#sch-priority").value,
        volume: num("#sch-volume"), repeat: num("#sch-repeat"), repeat_gap_s: num("#sch-gap"),
        valid_from: typedDay("#sch-valid-from"), valid_to: typedDay("#sch-valid-to"),
        schedule: schedule(type), stream_url: type === "relay" ? $("#sch-stream").value.trim() || null : null,
      };
      if (all.checked) { body.all = true; body.zones = null; }
      else { body.all = false; body.zones = zoneBoxes.filter((b) => b.checked).map((b) => b.value); }
      return body;
    }

    // Conflict dialog: the overlapping broadcasts, then override / append / cancel.
    const dialog = $("#sch-conflict");
    let pendingDraft = false;
    // dd/mm/yyyy HH:MM–HH:MM in the commune's zone, the end rounded up to the minute (as on
    // the calendar). Built from parts: locales disagree on the order of date and time.
    function civil(moment) {
      const parts = {};
      new Intl.DateTimeFormat("en-GB", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(moment)
        .forEach((p) => { parts[p.type] = p.value; });
      return { date: `${parts.day}/${parts.month}/${parts.year}`, time: `${parts.hour}:${parts.minute}` };
    }
    function span(startIso, endIso) {
      const start = civil(new Date(startIso));
      const end = civil(new Date(Math.ceil(new Date(endIso).getTime() / 60000) * 60000));
      return `${start.date} ${start.time}–${end.time}`;
    }
    function openConflicts(error, draft) {
      pendingDraft = draft;
      // The API's own message names its parameters; the officer gets the count and the choice.
      $("#sch-conflict-message").textContent = T.sch_conflict_count.replace("{n}", (error.conflicts || []).length);
      const rows = $("#sch-conflict-rows");
      rows.replaceChildren();
      const shown = (error.conflicts || []).slice(0, 10);
      shown.forEach((c) => {
        const tr = el("tr", { class: "sch-conflict-row" });
        tr.append(el("td", {}, c.title), el("td", {}, data.zones[c.zone] || c.zone),
                  el("td", {}, span(c.other_start, c.other_end)));
        rows.append(tr);
      });
      const more = (error.conflicts || []).length - shown.length;
      $("#sch-conflict-more").textContent = more > 0 ? T.sch_conflict_more.replace("{n}", more) : "";
      dialog.showModal();
      $('button[data-choice="override"]', dialog).focus();
    }
    $$("button[data-choice]", dialog).forEach((b) => b.addEventListener("click", () => {
      dialog.close();
      if (b.dataset.choice === "cancel") { $("#sch-save").focus(); return; }
      save(b.dataset.choice, pendingDraft);
    }));

    const firstChoice = program ? program.on_conflict : "reject";
    let busy = false;
    async function save(onConflict, draft) {
      if (busy) return;
      clearError();
      const body = collect();
      if (!body) return;
      body.on_conflict = onConflict;
      if (!program && draft) body.draft = true;
      busy = true;
      $("#sch-progress").textContent = T.sch_saving;
      try {
        const saved = program ? await TT.put(`/api/v1/programs/${program.id}`, body)
                              : await TT.post("/api/v1/programs", body);
        const left = (saved.conflicts || []).length;
        window.location.href = `${data.calendar_url}?saved=${saved.id}${left ? `&left=${left}` : ""}`;
      } catch (err) {
        const error = (err.data && err.data.error) || {};
        if (err.status === 409 && error.conflicts) openConflicts(error, draft);
        else if (error.code === "quiet_hours") showError(T.sch_quiet_refused, error.message, $(currentType() === "relay" ? "#sch-relay-start" : "#sch-time"));
        else showError(T.sch_not_saved, err.status ? err.message : T.sch_network_error, $(FIELD_OF[error.field] || "#sch-error"));
      } finally {
        busy = false;
        $("#sch-progress").textContent = "";
      }
    }

    form.addEventListener("submit", (event) => { event.preventDefault(); save(firstChoice, false); });
    const draftButton = $("#sch-save-draft");
    if (draftButton) draftButton.addEventListener("click", () => save(firstChoice, true));

    if (program) fill(program);
    syncTargets();
    syncPanels();
    renderPlaylist();
  }

  initProgramList();
  initEditor();
})();

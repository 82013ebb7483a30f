// Greeting recorder: record from the microphone (MediaRecorder, webm/opus where supported) with
// a live level meter (AnalyserNode), listen back, record again, or pick a phone recording; save
// it to the library as a greeting, then submit a one-off program for approval.
// Needs api.js (TT) and library.js (TTLib).
(function () {
  "use strict";
  const MIME_TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
  const FILE_EXT = { "audio/webm": "webm", "audio/ogg": "ogg", "audio/mp4": "m4a" };
  const METER_FLOOR_DB = -60; // silence end of the meter

  function pickMimeType() {
    if (!window.MediaRecorder || !MediaRecorder.isTypeSupported) return "";
    return MIME_TYPES.find((t) => MediaRecorder.isTypeSupported(t)) || "";
  }

  // RMS of a block of samples as 0..100 on a decibel scale (what a level meter shows).
  function levelPercent(samples) {
    let sum = 0;
    for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
    const rms = Math.sqrt(sum / samples.length);
    const db = rms > 0 ? 20 * Math.log10(rms) : METER_FLOOR_DB;
    return Math.max(0, Math.min(100, Math.round((1 - db / METER_FLOOR_DB) * 100)));
  }

  // "26/11/2026" + "6h00" / "06:00" -> {iso: "2026-11-26T06:00:00", text: "26/11/2026 06:00"}.
  function parseWhen(dateText, timeText) {
    const d = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(dateText || "");
    const t = /^\s*(\d{1,2})\s*[:hg]\s*(\d{2})?\s*$/i.exec(timeText || "");
    if (!d || !t) return null;
    const [day, month, year, hour, minute] = [d[1], d[2], d[3], t[1], t[2] || "0"].map(Number);
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null;
    const p2 = (n) => String(n).padStart(2, "0");
    return { iso: `${year}-${p2(month)}-${p2(day)}T${p2(hour)}:${p2(minute)}:00`,
             text: `${p2(day)}/${p2(month)}/${year} ${p2(hour)}:${p2(minute)}` };
  }

  function init() {
    const L = window.TTLib, w = L.words("lib-words");
    const $ = (id) => document.getElementById(id);
    const startBtn = $("greet-start"), stopBtn = $("greet-stop"), againBtn = $("greet-rerecord");
    const timeEl = $("greet-time"), meter = $("greet-level"), meterCover = $("greet-level-cover");
    const recStatus = $("greet-rec-status"), playbackWrap = $("greet-playback-wrap");
    const playback = $("greet-playback"), fileInput = $("greet-file");
    const sendForm = $("greet-send-form"), sendBtn = $("greet-send"), sendStatus = $("greet-send-status");
    const savedAudio = $("greet-saved-audio"), titleInput = $("greet-title");
    const progress = L.progressUi("greet-progress");
    const offset = $("greet-page").dataset.utcOffset || "+07:00";
    // What will be sent: a recording ({blob, type}) or a chosen file; and what was saved.
    let audioSource = null, saved = null, playbackUrl = null;
    let rec = null; // {recorder, stream, ctx, chunks, started, timer, frame}

    function say(el, message, kind) { el.className = "status" + (kind ? " " + kind : ""); TT.text(el, message); }

    function setPlayback(blobOrFile) {
      if (playbackUrl) URL.revokeObjectURL(playbackUrl);
      playbackUrl = blobOrFile ? URL.createObjectURL(blobOrFile) : null;
      if (playbackUrl) playback.src = playbackUrl; else playback.removeAttribute("src");
      playbackWrap.hidden = !playbackUrl;
    }

    function forgetSaved() {
      saved = null;
      savedAudio.hidden = true;
      savedAudio.removeAttribute("src");
      const note = $("greet-officer-schedules");
      if (note) note.hidden = true;
      say(sendStatus, "");
      if ($("greet-sched-status")) say($("greet-sched-status"), "");
    }

    // ---------------------------------------------------------------- recording
    async function startRecording() {
      const mimeType = pickMimeType();
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
        say(recStatus, w.greet_no_recorder, "error");
        return;
      }
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (err) {
        say(recStatus, L.fill(w.greet_mic_denied, { reason: err.name || err.message }), "error");
        return;
      }
      const recorder = mimeType ? new MediaRecorder(stream, { mimeType }) : new MediaRecorder(stream);
      rec = { recorder, stream, chunks: [], started: Date.now(), ctx: null, timer: null, frame: 0 };
      recorder.addEventListener("dataavailable", (e) => { if (e.data && e.data.size) rec.chunks.push(e.data); });
      recorder.addEventListener("stop", finishRecording);
      setPlayback(null);
      forgetSaved();
      audioSource = null;
      L.clearFilePicker(fileInput);
      recorder.start(1000);
      startMeter(stream);
      rec.timer = setInterval(() => TT.text(timeEl, L.mmss(Date.now() - rec.started)), 250);
      startBtn.disabled = true; againBtn.hidden = true; stopBtn.hidden = false; stopBtn.disabled = false;
      stopBtn.focus();
      say(recStatus, w.greet_recording);
    }

    function startMeter(stream) {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      const ctx = new Ctx();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 2048;
      ctx.createMediaStreamSource(stream).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      rec.ctx = ctx;
      const draw = () => {
        analyser.getFloatTimeDomainData(samples);
        const pct = levelPercent(samples);
        meterCover.style.width = (100 - pct) + "%";
        meter.setAttribute("aria-valuenow", String(pct));
        rec.frame = requestAnimationFrame(draw);
      };
      draw();
    }

    function stopRecording() {
      if (!rec || rec.recorder.state === "inactive") return;
      stopBtn.disabled = true;
      rec.recorder.stop();
    }

    function finishRecording() {
      const r = rec;
      clearInterval(r.timer);
      cancelAnimationFrame(r.frame);
      if (r.ctx) r.ctx.close();
      r.stream.getTracks().forEach((track) => track.stop());
      meterCover.style.width = "100%";
      meter.setAttribute("aria-valuenow", "0");
      const type = (r.recorder.mimeType || r.chunks[0]?.type || "audio/webm").split(";")[0];
      const blob = new Blob(r.chunks, { type });
      const elapsed = Date.now() - r.started;
      TT.text(timeEl, L.mmss(elapsed));
      audioSource = { blob, name: "loi-chuc." + (FILE_EXT[type] || "webm") };
      setPlayback(blob);
      rec = null;
      startBtn.disabled = false; startBtn.hidden = true; stopBtn.hidden = true; againBtn.hidden = false;
      say(recStatus, L.fill(w.greet_stopped, { duration: L.mmss(elapsed) }), "ok");
      playback.focus();
    }

    startBtn.addEventListener("click", startRecording);
    stopBtn.addEventListener("click", stopRecording);
    againBtn.addEventListener("click", () => { againBtn.hidden = true; startBtn.hidden = false; startRecording(); });

    // ---------------------------------------------------------------- or a phone recording
    L.watchFilePicker(fileInput);
    fileInput.addEventListener("change", () => {
      const file = fileInput.files[0];
      if (!file) return;
      forgetSaved();
      audioSource = { blob: file, name: file.name };
      setPlayback(file);
      say(recStatus, L.fill(w.greet_file_chosen, { name: file.name }), "ok");
    });

    // ---------------------------------------------------------------- save to the library
    function defaultTitle() {
      const today = L.dateTime(new Date().toISOString()).split(" ")[0];
      return `${w.greet_default_title} ${today}`;
    }

    sendForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!audioSource) { say(sendStatus, w.greet_need_audio, "error"); startBtn.focus(); return; }
      const title = titleInput.value.trim() || defaultTitle();
      const data = new FormData();
      data.append("file", audioSource.blob, audioSource.name);
      data.append("title", title);
      data.append("category", "greeting");
      data.append("source", "recording");
      sendBtn.disabled = true;
      say(sendStatus, "");
      try {
        saved = await L.uploadMedia(data, progress, w);
        titleInput.value = saved.title;
        say(sendStatus, L.fill(w.greet_sent, { title: saved.title, duration: L.mmss(saved.duration_ms) }), "ok");
        savedAudio.src = saved.url;
        savedAudio.hidden = false;
        const note = $("greet-officer-schedules");
        if (note) note.hidden = false;
      } catch (err) {
        progress.wrap.hidden = true;
        say(sendStatus, L.fill(w.lib_error, { reason: L.errorText(err, w) }), "error");
      } finally {
        sendBtn.disabled = false;
      }
    });

    // ---------------------------------------------------------------- submit for approval
    const schedForm = $("greet-schedule-form");
    if (schedForm) {
      const schedStatus = $("greet-sched-status"), submitBtn = $("greet-submit");
      const zoneBoxes = () => Array.from(schedForm.querySelectorAll('input[name="zones"]'));
      zoneBoxes().forEach((box) => box.addEventListener("change", () => {
        if (box.checked && $("greet-some")) $("greet-some").checked = true;
      }));
      schedForm.addEventListener("submit", async (e) => {
        e.preventDefault();
        if (!saved) { say(schedStatus, w.greet_save_first, "error"); sendBtn.focus(); return; }
        const when = parseWhen($("greet-date").value, $("greet-time-input").value);
        if (!when) { say(schedStatus, w.greet_need_when, "error"); $("greet-date").focus(); return; }
        const body = { title: saved.title, media_ids: [saved.id], kind: "greeting",
                       schedule: { type: "once", at: when.iso + offset } };
        const target = schedForm.querySelector('input[name="target"]:checked');
        if (target && target.value === "some") {
          const zones = zoneBoxes().filter((b) => b.checked).map((b) => b.value);
          if (!zones.length) { say(schedStatus, w.greet_need_zone, "error"); return; }
          body.zones = zones;
        } else {
          body.all = true;
        }
        submitBtn.disabled = true;
        try {
          const program = await TT.post("/api/v1/programs", body);
          say(schedStatus, L.fill(w.greet_submitted, {
            title: program.title, when: when.text,
            status: w["greet_status_" + program.status] || program.status }), "ok");
        } catch (err) {
          say(schedStatus, L.fill(w.lib_error, { reason: L.errorText(err, w) }), "error");
        } finally {
          submitBtn.disabled = false;
        }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (document.getElementById("greet-page")) init();
  });
})();

// TTS composer: live reading preview (debounced /api/v1/tts/normalize), listen (synthesize and
// play), save to the library (title, category), progress of long notices (job polling), and the
// commune's pronunciation dictionary. Needs api.js (TT) and library.js (TTLib).
(function () {
  "use strict";
  const POLL_MS = 500;
  const PREVIEW_DEBOUNCE_MS = 350;

  function init() {
    const L = window.TTLib, w = L.words("lib-words");
    const $ = (id) => document.getElementById(id);
    const text = $("tts-text"), preview = $("tts-preview"), chars = $("tts-chars");
    const status = $("tts-status"), listenBtn = $("tts-listen"), saveBtn = $("tts-save");
    const result = $("tts-result"), audio = $("tts-audio");
    const progress = L.progressUi("tts-progress");
    let previewSeq = 0, previewTimer = null, last = null; // last = {signature, item}

    // ---------------------------------------------------------------- reading preview
    function showPreview(value) {
      preview.classList.toggle("empty", !value);
      TT.text(preview, value || w.tts_preview_empty);
    }

    async function refreshPreview() {
      const seq = ++previewSeq, value = text.value;
      if (!value.trim()) { showPreview(""); preview.removeAttribute("aria-busy"); return; }
      preview.setAttribute("aria-busy", "true");
      try {
        const data = await TT.post("/api/v1/tts/normalize", { text: value });
        if (seq === previewSeq) showPreview(data.normalized_text);
      } catch (err) {
        if (seq === previewSeq) TT.text(preview, L.fill(w.lib_error, { reason: L.errorText(err, w) }));
      } finally {
        if (seq === previewSeq) preview.removeAttribute("aria-busy");
      }
    }

    text.addEventListener("input", () => {
      if (status.classList.contains("error")) setStatus("");
      TT.text(chars, L.fill(w.tts_chars, { n: text.value.length.toLocaleString("vi-VN") }));
      clearTimeout(previewTimer);
      previewTimer = setTimeout(refreshPreview, PREVIEW_DEBOUNCE_MS);
    });
    TT.text(chars, L.fill(w.tts_chars, { n: 0 }));

    // ---------------------------------------------------------------- synthesis
    function speechOptions() {
      const body = {
        text: text.value,
        voice: $("tts-voice").value,
        speed: Number($("tts-speed").value),
        repeat: Math.min(5, Math.max(1, parseInt($("tts-repeat").value, 10) || 1)),
        chime: $("tts-chime").checked,
      };
      if ($("tts-engine").value) body.engine = $("tts-engine").value;
      return body;
    }

    function setStatus(message, kind) {
      status.className = "status" + (kind ? " " + kind : "");
      TT.text(status, message);
    }

    function showProgress(fraction) {
      progress.wrap.hidden = false;
      if (fraction == null) { progress.bar.removeAttribute("value"); TT.text(progress.label, ""); return; }
      const pct = Math.round(fraction * 100);
      progress.bar.value = pct;
      TT.text(progress.label, pct + "%");
    }

    function pause(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

    // Long notices become a job: follow it until it is done or failed.
    async function followJob(jobId) {
      for (;;) {
        const job = await TT.get(`/api/v1/jobs/${encodeURIComponent(jobId)}`);
        showProgress(job.progress || 0);
        setStatus(L.fill(w.tts_synth_pct, { pct: Math.round((job.progress || 0) * 100) }));
        if (job.status === "done") return job.result;
        if (job.status === "failed") {
          const err = new Error((job.error && job.error.message) || job.status);
          err.status = 500;
          throw err;
        }
        await pause(POLL_MS);
      }
    }

    async function synthesize() {
      const options = speechOptions();
      const signature = JSON.stringify(options);
      if (last && last.signature === signature) return last.item;
      const body = Object.assign({}, options, { category: $("tts-category").value });
      const title = $("tts-title").value.trim();
      if (title) body.title = title;
      showProgress(null);
      setStatus(w.tts_synthesizing);
      const answer = await TT.post("/api/v1/tts", body);
      const item = answer.job ? await followJob(answer.job) : answer;
      showProgress(1);
      last = { signature, item };
      return item;
    }

    function showAudio(item) {
      result.hidden = false;
      if (audio.getAttribute("src") !== item.url) audio.src = item.url;
      setStatus(L.fill(w.tts_ready, { duration: L.mmss(item.duration_ms),
                                      engine: w["tts_engine_" + item.engine] || item.engine }), "ok");
    }

    async function run(action) {
      if (!text.value.trim()) { setStatus(w.tts_need_text, "error"); text.focus(); return; }
      listenBtn.disabled = saveBtn.disabled = true;
      try {
        await action();
      } catch (err) {
        progress.wrap.hidden = true;
        setStatus(L.fill(w.lib_error, { reason: L.errorText(err, w) }), "error");
      } finally {
        listenBtn.disabled = saveBtn.disabled = false;
      }
    }

    listenBtn.addEventListener("click", () => run(async () => {
      const item = await synthesize();
      showAudio(item);
      audio.play().catch(() => { /* autoplay refused: the controls are there */ });
    }));

    $("tts-form").addEventListener("submit", (e) => {
      e.preventDefault();
      run(async () => {
        let item = await synthesize();
        showAudio(item);
        // The clip may come from the cache or an earlier listen: apply the wanted title/category.
        const change = { category: $("tts-category").value };
        const title = $("tts-title").value.trim();
        if (title) change.title = title;
        if (change.category !== item.category || (title && title !== item.title)) {
          item = await TT.put(`/api/v1/media/${item.id}`, change);
          last.item = item;
        }
        setStatus(L.fill(w.tts_saved, { title: item.title }), "ok");
      });
    });

    // ---------------------------------------------------------------- pronunciation dictionary
    const dictForm = $("tts-dict-form"), dictStatus = $("tts-dict-status");
    const siteBody = $("tts-dict-site").tBodies[0], shippedBody = $("tts-dict-shipped").tBodies[0];

    function dictMessage(message, kind) {
      dictStatus.className = "status" + (kind ? " " + kind : "");
      TT.text(dictStatus, message);
    }

    async function loadDictionary() {
      try {
        const data = await TT.get("/api/v1/tts/dictionary");
        const site = data.items.filter((e) => e.source === "site");
        const shipped = data.items.filter((e) => e.source !== "site");
        siteBody.replaceChildren(...site.map(siteRow));
        $("tts-dict-site").hidden = !site.length;
        $("tts-dict-empty").hidden = Boolean(site.length);
        shippedBody.replaceChildren(...shipped.map((e) => {
          const tr = L.el("tr");
          tr.append(L.el("td", {}, e.term), L.el("td", {}, e.reading));
          return tr;
        }));
        TT.text($("tts-dict-shipped-summary"), L.fill(w.tts_dict_shipped_heading, { n: shipped.length }));
      } catch (err) {
        dictMessage(L.fill(w.lib_error, { reason: L.errorText(err, w) }), "error");
      }
    }

    function siteRow(entry) {
      const tr = L.el("tr", { "data-term": entry.term });
      const remove = L.el("button", { type: "button", class: "danger-outline",
                                      "aria-label": L.fill(w.tts_dict_remove_label, { term: entry.term }) },
                          w.tts_dict_remove);
      remove.addEventListener("click", async () => {
        try {
          await TT.del(`/api/v1/tts/dictionary/${encodeURIComponent(entry.term)}`);
          last = null;
          dictMessage(L.fill(w.tts_dict_removed, { term: entry.term }), "ok");
          await loadDictionary();
          refreshPreview();
        } catch (err) {
          dictMessage(L.fill(w.lib_error, { reason: L.errorText(err, w) }), "error");
        }
      });
      const cell = L.el("td");
      cell.append(remove);
      tr.append(L.el("td", {}, entry.term), L.el("td", {}, entry.reading), cell);
      return tr;
    }

    dictForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      const term = $("tts-term").value.trim(), reading = $("tts-reading").value.trim();
      if (!term || !reading) { dictMessage(w.tts_need_term, "error"); (term ? $("tts-reading") : $("tts-term")).focus(); return; }
      try {
        const saved = await TT.post("/api/v1/tts/dictionary", { term, reading });
        dictMessage(L.fill(w.tts_dict_added, { term: saved.term, reading: saved.reading }), "ok");
        $("tts-term").value = ""; $("tts-reading").value = "";
        last = null; // the same text now reads differently
        await loadDictionary();
        refreshPreview();
      } catch (err) {
        dictMessage(L.fill(w.lib_error, { reason: L.errorText(err, w) }), "error");
      }
    });

    loadDictionary();
    if (text.value.trim()) refreshPreview();
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (document.getElementById("tts-form")) init();
  });
})();

// Audio library: helpers shared with the TTS and greeting pages (window.TTLib), and the library
// page itself (upload with progress, search, category filter, play, edit, delete).
// Every word shown comes from the page's JSON block of translated words; user data goes in
// with textContent only.
(function () {
  "use strict";

  function words(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : {};
  }

  function fill(template, vars) {
    return String(template).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  }

  function mmss(ms) { return TT.mmss(ms); }

  function lufs(value) {
    if (value == null) return "—";
    const n = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    return n.format(value) + " LUFS";
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === true) node.setAttribute(k, "");
      else if (v !== false && v != null) node.setAttribute(k, v);
    });
    if (text != null) node.textContent = String(text);
    return node;
  }

  function errorText(err, w) {
    if (err && err.status) return err.message;
    return w.lib_network_error || (err && err.message) || "";
  }

  function splitTags(value) {
    return String(value || "").split(",").map((s) => s.trim()).filter(Boolean);
  }

  // Shows an upload's progress in {wrap, bar, label}; resolves with the new library item.
  function uploadMedia(formData, ui, w) {
    ui.wrap.hidden = false;
    ui.bar.value = 0;
    ui.bar.removeAttribute("data-done");
    TT.text(ui.label, fill(w.lib_uploading, { pct: 0 }));
    return TT.upload("/api/v1/media", formData, (fraction) => {
      const pct = Math.round(fraction * 100);
      ui.bar.value = pct;
      if (pct >= 100) { ui.bar.dataset.done = "1"; TT.text(ui.label, w.lib_processing); }
      else TT.text(ui.label, fill(w.lib_uploading, { pct }));
    }).then((item) => {
      ui.bar.value = 100;
      ui.bar.dataset.done = "1";
      TT.text(ui.label, "100%");
      return item;
    });
  }

  // The progress macro's parts (library_macros.html) for uploadMedia and job progress.
  function progressUi(id) {
    return { wrap: document.getElementById(id), bar: document.getElementById(id + "-bar"),
             label: document.getElementById(id + "-pct") };
  }

  // The file picker macro shows the chosen file's name in the page's own words.
  function watchFilePicker(input) {
    const name = document.getElementById(input.id + "-name");
    input.addEventListener("change", () => {
      TT.text(name, input.files[0] ? input.files[0].name : name.dataset.empty);
    });
  }
  function clearFilePicker(input) {
    input.value = "";
    const name = document.getElementById(input.id + "-name");
    TT.text(name, name.dataset.empty);
  }

  // dd/mm/yyyy HH:MM (24-hour) in the commune's zone, whatever the browser's language.
  function dateTime(iso) {
    if (!iso) return "—";
    const zone = document.documentElement.dataset.tz || "Asia/Ho_Chi_Minh";
    const parts = {};
    new Intl.DateTimeFormat("en-GB", { timeZone: zone, day: "2-digit", month: "2-digit",
      year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(iso)).forEach((p) => { parts[p.type] = p.value; });
    return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
  }

  window.TTLib = { words, fill, mmss, lufs, el, errorText, splitTags, uploadMedia, progressUi,
                   watchFilePicker, clearFilePicker, dateTime };

  // ------------------------------------------------------------------ the library page
  function initLibraryPage() {
    const w = words("lib-words");
    const $ = (id) => document.getElementById(id);
    const list = $("lib-list"), listStatus = $("lib-list-status"), listError = $("lib-list-error");
    const searchForm = $("lib-search"), q = $("lib-q");
    let loadSeq = 0, debounce = null, highlight = null;
    const catLabel = (c) => w["lib_cat_" + c] || c;
    const srcLabel = (s) => w["lib_src_" + s] || s;

    function currentCategory() {
      const checked = searchForm.querySelector('input[name="category"]:checked');
      return checked ? checked.value : "";
    }

    async function load() {
      const seq = ++loadSeq;
      const params = new URLSearchParams();
      const category = currentCategory(), query = q.value.trim();
      if (category) params.set("category", category);
      if (query) params.set("q", query);
      list.setAttribute("aria-busy", "true");
      try {
        const data = await TT.get("/api/v1/media" + (params.toString() ? "?" + params : ""));
        if (seq !== loadSeq) return; // a newer search answered already
        TT.text(listError, "");
        render(data.items, Boolean(category || query));
      } catch (err) {
        if (seq === loadSeq) TT.text(listError, fill(w.lib_error, { reason: errorText(err, w) }));
      } finally {
        if (seq === loadSeq) list.removeAttribute("aria-busy");
      }
    }

    function render(items, filtered) {
      list.replaceChildren(...items.map(row));
      if (!items.length) TT.text(listStatus, filtered ? w.lib_no_match : w.lib_empty);
      else TT.text(listStatus, fill(items.length === 1 ? w.lib_count_one : w.lib_count, { n: items.length }));
      if (highlight != null) {
        const li = list.querySelector(`li[data-id="${highlight}"]`);
        if (li) { li.classList.add("fresh"); li.scrollIntoView({ block: "nearest" }); }
        highlight = null;
      }
    }

    function fact(label, value, cls) {
      const span = el("span", { class: "fact " + (cls || "") });
      span.append(el("span", { class: "fact-label" }, label + ": "), el("span", { class: "fact-value" }, value));
      return span;
    }

    function row(item) {
      const li = el("li", { class: "media-item", "data-id": item.id });
      const head = el("div", { class: "media-head" });
      head.append(el("h3", { class: "media-title" }, item.title),
                  el("span", { class: "chip cat-" + item.category }, catLabel(item.category)));
      const facts = el("div", { class: "media-facts" });
      facts.append(fact(w.lib_duration, mmss(item.duration_ms), "duration"),
                   fact(w.lib_loudness, lufs(item.lufs), "loudness"),
                   fact(w.lib_source, srcLabel(item.source), "source"),
                   fact(w.lib_created, dateTime(item.created_at), "created"));
      if (item.tags && item.tags.length) facts.append(fact(w.lib_tags_label, item.tags.join(", "), "tags"));
      const audio = el("audio", { controls: true, preload: "none", src: item.url,
                                  "aria-label": w.lib_listen + ": " + item.title });
      const actions = el("div", { class: "media-actions" });
      const edit = el("button", { type: "button", class: "edit", "aria-label": w.lib_edit + ": " + item.title }, w.lib_edit);
      const del = el("button", { type: "button", class: "delete danger-outline", "aria-label": w.lib_delete + ": " + item.title }, w.lib_delete);
      edit.addEventListener("click", () => openEdit(item, edit));
      del.addEventListener("click", () => openDelete(item, del));
      actions.append(edit, del);
      li.append(head, facts, audio, actions);
      return li;
    }

    // --- search and filter
    q.addEventListener("input", () => { clearTimeout(debounce); debounce = setTimeout(load, 250); });
    searchForm.addEventListener("change", (e) => { if (e.target.name === "category") load(); });
    searchForm.addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(debounce); load(); });

    // --- upload
    const upForm = $("lib-upload"), fileInput = $("lib-file"), titleInput = $("lib-up-title");
    const upStatus = $("lib-up-status"), upBtn = $("lib-upload-btn");
    const progress = progressUi("lib-up-progress");
    watchFilePicker(fileInput);
    fileInput.addEventListener("change", () => {
      const file = fileInput.files[0];
      if (file && !titleInput.value.trim()) titleInput.value = file.name.replace(/\.[^.]+$/, "").replace(/[_-]+/g, " ");
    });
    upForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      upStatus.className = "status";
      const file = fileInput.files[0];
      if (!file) { showUpError(w.lib_need_file); fileInput.focus(); return; }
      if (!titleInput.value.trim()) { showUpError(w.lib_need_title); titleInput.focus(); return; }
      const data = new FormData();
      data.append("file", file);
      data.append("title", titleInput.value.trim());
      data.append("category", $("lib-up-category").value);
      data.append("tags", $("lib-up-tags").value);
      data.append("source", "upload");
      upBtn.disabled = true;
      TT.text(upStatus, "");
      try {
        const item = await uploadMedia(data, progress, w);
        upStatus.className = "status ok";
        TT.text(upStatus, fill(w.lib_uploaded, { title: item.title }));
        clearFilePicker(fileInput); titleInput.value = ""; $("lib-up-tags").value = "";
        highlight = item.id;
        await load();
      } catch (err) {
        progress.wrap.hidden = true;
        showUpError(fill(w.lib_error, { reason: errorText(err, w) }));
      } finally {
        upBtn.disabled = false;
      }
    });
    function showUpError(message) { upStatus.className = "status error"; TT.text(upStatus, message); }

    // --- edit
    const editDlg = $("lib-edit"), editForm = $("lib-edit-form"), editError = $("lib-edit-error");
    let editing = null, returnFocus = null;
    function openEdit(item, opener) {
      editing = item; returnFocus = opener;
      $("lib-edit-title").value = item.title;
      $("lib-edit-category").value = item.category;
      $("lib-edit-tags").value = (item.tags || []).join(", ");
      TT.text(editError, "");
      editDlg.showModal();
      $("lib-edit-title").focus();
    }
    editForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      const title = $("lib-edit-title").value.trim();
      if (!title) { TT.text(editError, w.lib_need_title); $("lib-edit-title").focus(); return; }
      const body = { title, category: $("lib-edit-category").value, tags: splitTags($("lib-edit-tags").value) };
      try {
        const saved = await TT.put(`/api/v1/media/${editing.id}`, body);
        editDlg.close();
        TT.text(listStatus, fill(w.lib_saved, { title: saved.title }));
        highlight = saved.id;
        await load();
        TT.text(listStatus, fill(w.lib_saved, { title: saved.title }));
      } catch (err) {
        TT.text(editError, fill(w.lib_error, { reason: errorText(err, w) }));
      }
    });
    $("lib-edit-cancel").addEventListener("click", () => editDlg.close());
    editDlg.addEventListener("close", () => { if (returnFocus && returnFocus.isConnected) returnFocus.focus(); });

    // --- delete
    const delDlg = $("lib-delete"), delError = $("lib-delete-error"), delYes = $("lib-delete-yes");
    let deleting = null;
    function openDelete(item, opener) {
      deleting = item; returnFocus = opener;
      TT.text($("lib-delete-text"), fill(w.lib_delete_confirm, { title: item.title }));
      TT.text(delError, "");
      delYes.disabled = false;
      delDlg.showModal();
      $("lib-delete-cancel").focus();
    }
    delYes.addEventListener("click", async () => {
      delYes.disabled = true;
      try {
        await TT.del(`/api/v1/media/${deleting.id}`);
        delDlg.close();
        await load();
        TT.text(listStatus, fill(w.lib_deleted, { title: deleting.title }));
      } catch (err) {
        // Refused (e.g. a program still uses it): the server says why; keep the dialog open.
        TT.text(delError, fill(w.lib_delete_refused, { reason: errorText(err, w) }));
      }
    });
    $("lib-delete-cancel").addEventListener("click", () => delDlg.close());
    delDlg.addEventListener("close", () => { if (returnFocus && returnFocus.isConnected) returnFocus.focus(); });

    load();
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (document.getElementById("lib-list")) initLibraryPage();
  });
})();

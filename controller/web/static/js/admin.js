// Quản trị: users, hamlets and loudspeakers through the JSON API; a node's credentials are shown
// once in a dialog. Every message comes from the page (Vietnamese); user data goes in textContent.
(function () {
  "use strict";
  const L = JSON.parse(document.getElementById("adm-data").textContent);
  const $ = (sel, root) => (root || document).querySelector(sel);
  const fill = (tpl, values) => tpl.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const RULES = { slug: /^[a-z0-9][a-z0-9-]{0,63}$/, username: /^[A-Za-z0-9_.@-]+$/,
    hhmm: /^([01]\d|2[0-3]):[0-5]\d$/ };
  const FLASH_KEY = "tt-admin-flash";

  const flash = $("#adm-flash");
  if (sessionStorage.getItem(FLASH_KEY)) {
    flash.textContent = sessionStorage.getItem(FLASH_KEY);
    sessionStorage.removeItem(FLASH_KEY);
  }
  function reloadWith(message) { sessionStorage.setItem(FLASH_KEY, message); location.reload(); }
  const say = (form, text) => { $("[data-msg]", form).textContent = text || ""; };
  const labelOf = (input) => $(`label[for="${input.id}"]`).textContent.trim();

  // First problem of a form in the user's words, or "" when it may be sent.
  function problem(form) {
    for (const input of form.querySelectorAll("input")) {
      const value = input.value.trim();
      const field = labelOf(input);
      if (input.required && !value) return [input, fill(L.err_required, { field })];
      if (value && input.dataset.rule && !RULES[input.dataset.rule].test(value)) {
        return [input, fill(L[`err_${input.dataset.rule}`], { field })];
      }
      if (value && input.minLength > 0 && value.length < input.minLength) {
        return [input, fill(L.err_short, { field, n: input.minLength })];
      }
    }
    return null;
  }

  function guard(form, action) {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const bad = problem(form);
      if (bad) { say(form, bad[1]); bad[0].focus(); return; }
      say(form, "");
      const button = $("button[type=submit]", form);
      button.disabled = true;
      try { await action(); } catch (err) { say(form, err.message); } finally { button.disabled = false; }
    });
  }

  function confirmThen(text) {
    const dialog = $("#adm-confirm");
    $("[data-text]", dialog).textContent = text;
    return new Promise((resolve) => {
      const done = (answer) => { dialog.close(); resolve(answer); };
      $("[data-yes]", dialog).onclick = () => done(true);
      $("[data-close]", dialog).onclick = () => done(false);
      dialog.showModal();
    });
  }

  document.querySelectorAll("dialog [data-close]").forEach((b) => {
    if (!b.closest("#adm-confirm")) b.addEventListener("click", () => b.closest("dialog").close());
  });

  // --- users ---------------------------------------------------------------------------------
  const userTable = $("#adm-user-table");
  userTable.addEventListener("change", async (ev) => {
    if (ev.target.dataset.action !== "role") return;
    const row = ev.target.closest("tr");
    try {
      await TT.put(`/api/v1/users/${row.dataset.userId}`, { role: ev.target.value });
      flash.textContent = fill(L.role_changed, { name: row.dataset.username });
    } catch (err) { flash.textContent = err.message; }
  });

  const pwDialog = $("#adm-pw-dialog");
  let pwUser = null;
  userTable.addEventListener("click", async (ev) => {
    const button = ev.target.closest("button[data-action]");
    if (!button) return;
    const row = button.closest("tr");
    if (button.dataset.action === "toggle") {
      const active = button.dataset.active !== "true";
      try {
        await TT.put(`/api/v1/users/${row.dataset.userId}`, { active });
        reloadWith(L.saved);
      } catch (err) { flash.textContent = err.message; }
    } else if (button.dataset.action === "password") {
      pwUser = row;
      $("[data-who]", pwDialog).textContent = row.dataset.username;
      $("#pw-new").value = ""; $("#pw-again").value = "";
      say(pwDialog, "");
      pwDialog.showModal();
    }
  });
  const pwForm = $("#adm-pw-form");
  pwForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const pw = $("#pw-new");
    if (pw.value.length < pw.minLength) { say(pwForm, fill(L.err_short, { field: labelOf(pw), n: pw.minLength })); pw.focus(); return; }
    if (pw.value !== $("#pw-again").value) { say(pwForm, L.error_pw_mismatch); $("#pw-again").focus(); return; }
    try {
      await TT.put(`/api/v1/users/${pwUser.dataset.userId}`, { password: pw.value });
      pwDialog.close();
      flash.textContent = fill(L.pw_changed, { name: pwUser.dataset.username });
    } catch (err) { say(pwForm, err.message); }
  });

  const userForm = $("#adm-user-form");
  guard(userForm, async () => {
    const body = { username: $("#nu-username").value.trim(), role: $("#nu-role").value,
      password: $("#nu-password").value, full_name: $("#nu-full-name").value.trim() };
    await TT.post("/api/v1/users", body);
    reloadWith(fill(L.user_created, { name: body.username }));
  });

  // --- zones -----------------------------------------------------------------------------------
  const zoneForm = $("#adm-zone-form");
  guard(zoneForm, async () => {
    const body = { id: $("#nz-id").value.trim(), name: $("#nz-name").value.trim() };
    if ($("#nz-quiet-start").value && $("#nz-quiet-end").value) {
      body.quiet_start = $("#nz-quiet-start").value; body.quiet_end = $("#nz-quiet-end").value;
    }
    await TT.post("/api/v1/zones", body);
    reloadWith(L.saved);
  });

  const zoneDialog = $("#adm-zone-dialog");
  let zoneRow = null;
  $("#adm-zone-table").addEventListener("click", (ev) => {
    const button = ev.target.closest('button[data-action="edit-zone"]');
    if (!button) return;
    zoneRow = button.closest("tr");
    $("#ez-name").value = zoneRow.dataset.name;
    $("#ez-quiet-start").value = zoneRow.dataset.quietStart;
    $("#ez-quiet-end").value = zoneRow.dataset.quietEnd;
    say(zoneDialog, "");
    zoneDialog.showModal();
  });
  guard($("#adm-zone-edit"), async () => {
    const body = { name: $("#ez-name").value.trim() };
    const qs = $("#ez-quiet-start").value, qe = $("#ez-quiet-end").value;
    body.quiet_start = qs && qe ? qs : null; body.quiet_end = qs && qe ? qe : null;
    await TT.put(`/api/v1/zones/${encodeURIComponent(zoneRow.dataset.zone)}`, body);
    zoneDialog.close();
    reloadWith(L.saved);
  });

  // --- nodes and their credentials ----------------------------------------------------------------
  const creds = $("#adm-creds");
  creds.addEventListener("close", () => reloadWith(L.saved));
  async function issue(nodeId) {
    const c = await TT.post(`/admin/nodes/${encodeURIComponent(nodeId)}/credentials`);
    $("#adm-creds-h").textContent = fill(L.creds_title, { node: c.node });
    $("#cr-user").textContent = c.mqtt_username;
    $("#cr-password").textContent = c.mqtt_password;
    $("#cr-token").textContent = c.token;
    $("#cr-note").textContent = c.broker_note;
    $("#cr-config").value = c.config;
    creds.showModal();
  }

  const nodeForm = $("#adm-node-form");
  guard(nodeForm, async () => {
    const body = { id: $("#nn-id").value.trim(), name: $("#nn-name").value.trim(), zone: $("#nn-zone").value };
    await TT.post("/api/v1/nodes", body);
    await issue(body.id);
  });

  const nodeDialog = $("#adm-node-dialog");
  let nodeRow = null;
  $("#adm-node-table").addEventListener("click", async (ev) => {
    const button = ev.target.closest("button[data-action]");
    if (!button) return;
    nodeRow = button.closest("tr");
    if (button.dataset.action === "edit-node") {
      $("[data-who]", nodeDialog).textContent = nodeRow.dataset.node;
      $("#en-name").value = nodeRow.dataset.name;
      $("#en-zone").value = nodeRow.dataset.zone;
      say(nodeDialog, "");
      nodeDialog.showModal();
    } else if (button.dataset.action === "reissue") {
      if (!(await confirmThen(fill(L.confirm_reissue, { node: nodeRow.dataset.node })))) return;
      try { await issue(nodeRow.dataset.node); } catch (err) { flash.textContent = err.message; }
    }
  });
  guard($("#adm-node-edit"), async () => {
    await TT.put(`/api/v1/nodes/${encodeURIComponent(nodeRow.dataset.node)}`,
      { name: $("#en-name").value.trim(), zone: $("#en-zone").value });
    nodeDialog.close();
    reloadWith(L.saved);
  });

  // --- copy buttons -------------------------------------------------------------------------------
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      const text = "value" in source ? source.value : source.textContent;
      try { await navigator.clipboard.writeText(text); } catch (err) {
        if (source.select) { source.select(); document.execCommand("copy"); }
      }
      flash.textContent = L.copied;
    });
  });
})();

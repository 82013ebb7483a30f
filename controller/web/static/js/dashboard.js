// Tổng quan: poll the nodes API and the alerts every few seconds and update the page in place
// (textContent only: node names and titles are user data).
(function () {
  "use strict";
  const root = document.getElementById("dash");
  if (!root) return;
  const L = JSON.parse(document.getElementById("dash-text").textContent);
  const poll = Number(root.dataset.pollMs) || 5000;
  const tz = document.documentElement.dataset.tz || "Asia/Ho_Chi_Minh";

  // dd/mm/yyyy HH:MM in the commune's zone, whatever the browser's locale orders.
  function when(iso) {
    if (!iso) return "—";
    const parts = {};
    new Intl.DateTimeFormat("en-GB", { timeZone: tz, day: "2-digit", month: "2-digit",
      year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(iso)).forEach((p) => { parts[p.type] = p.value; });
    return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
  }

  function clock() {
    return new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit",
      second: "2-digit", hourCycle: "h23" }).format(new Date());
  }

  function cell(row, field, text, cls) {
    const td = row.querySelector(`[data-field="${field}"]`);
    if (!td) return;
    if (td.textContent !== text) td.textContent = text;
    if (cls !== undefined) td.className = cls;
  }

  function update(node, titles) {
    const row = root.querySelector(`tr[data-node="${CSS.escape(node.id)}"]`);
    if (!row) return;
    cell(row, "online", node.online ? L.online : L.offline, node.online ? "ok" : "bad");
    cell(row, "last_seen", when(node.last_seen));
    // The API names the item by id; the page's own endpoint knows its title.
    cell(row, "now_playing", node.now_playing ? (titles[node.id] || L.unknown_item) : L.idle);
    cell(row, "volume", node.volume == null ? "—" : String(node.volume));
    const off = node.clock_offset_ms;
    cell(row, "clock_offset_ms", off == null ? "—" : `${Math.round(off)} ms`,
      off != null && Math.abs(off) > 100 ? "bad" : "");
    if (node.published_seq == null) cell(row, "plan", L.plan_none, "ops-muted");
    else if (node.plan_lagging) cell(row, "plan", L.plan_lagging, "bad");
    else cell(row, "plan", L.plan_ok, "ok");
  }

  function showAlerts(items) {
    const list = document.getElementById("dash-alerts");
    list.replaceChildren(...items.map((a) => {
      const li = document.createElement("li");
      li.className = a.level;
      li.textContent = a.text;
      return li;
    }));
    document.getElementById("dash-no-alerts").hidden = items.length > 0;
  }

  async function refresh() {
    const stamp = document.getElementById("dash-stamp");
    try {
      const nodes = await TT.get("/api/v1/nodes");
      const status = await TT.get(root.dataset.alertsUrl);
      nodes.items.forEach((node) => update(node, status.now_playing || {}));
      const online = nodes.items.filter((n) => n.online).length;
      document.getElementById("dash-summary").textContent = L.summary
        .replace("{online}", online).replace("{total}", nodes.items.length);
      showAlerts(status.items);
      stamp.textContent = `${L.updated} ${clock()}`;
      stamp.classList.remove("bad");
    } catch (err) {
      stamp.textContent = L.update_failed;
      stamp.classList.add("bad");
    }
    setTimeout(refresh, poll);
  }

  setTimeout(refresh, poll);
})();

// Small helpers shared by every page: JSON calls to /api/v1 with the session cookie and the
// CSRF token, Vietnamese-first error text, and dd/mm/yyyy HH:MM formatting in the commune's zone.
(function () {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
  const tz = () => document.documentElement.dataset.tz || "Asia/Ho_Chi_Minh";

  async function call(method, path, body, opts) {
    const init = { method, headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
                   credentials: "same-origin" };
    if (body instanceof FormData) {
      init.body = body;
    } else if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    Object.assign(init, opts || {});
    const resp = await fetch(path, init);
    const type = resp.headers.get("Content-Type") || "";
    const data = type.includes("application/json") ? await resp.json() : null;
    if (!resp.ok) {
      const err = new Error((data && data.error && data.error.message) || resp.statusText);
      err.status = resp.status;
      err.data = data;
      throw err;
    }
    return data;
  }

  // Upload with progress (fetch has no upload progress): resolves with the JSON answer.
  function upload(path, formData, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", path);
      xhr.setRequestHeader("X-CSRFToken", csrf());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
      xhr.onload = () => {
        let data = null;
        try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        if (xhr.status >= 200 && xhr.status < 300) resolve(data);
        else {
          const err = new Error((data && data.error && data.error.message) || xhr.statusText);
          err.status = xhr.status; err.data = data; reject(err);
        }
      };
      xhr.onerror = () => reject(new Error(document.documentElement.lang === "en" ? "Network error" : "Lỗi mạng"));
      xhr.send(formData);
    });
  }

  // dd/mm/yyyy HH:MM in the commune's zone (Intl's vi-VN order puts the time first).
  function fmt(iso, withTime) {
    if (!iso) return "—";
    const opts = { timeZone: tz(), day: "2-digit", month: "2-digit", year: "numeric",
                   hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    const parts = {};
    for (const p of new Intl.DateTimeFormat("en-GB", opts).formatToParts(new Date(iso))) {
      parts[p.type] = p.value;
    }
    const date = `${parts.day}/${parts.month}/${parts.year}`;
    return withTime === false ? date : `${date} ${parts.hour}:${parts.minute}`;
  }

  // mm:ss (h:mm:ss from an hour), seconds rounded half up: the one duration format of every
  // page (records.format_duration on the server matches).
  function mmss(ms) {
    const total = Math.max(0, Math.round((ms || 0) / 1000));
    const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    const p2 = (n) => String(n).padStart(2, "0");
    return h ? `${h}:${p2(m)}:${p2(s)}` : `${p2(m)}:${p2(s)}`;
  }

  function text(el, value) { el.textContent = value == null ? "—" : String(value); return el; }

  window.TT = { get: (p) => call("GET", p), post: (p, b) => call("POST", p, b),
                put: (p, b) => call("PUT", p, b), del: (p) => call("DELETE", p),
                upload, fmt, text, mmss };
})();

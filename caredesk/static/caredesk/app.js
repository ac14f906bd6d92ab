// caredesk: the little JavaScript the pages need beyond htmx.
// A <dialog> filled by htmx opens itself; [data-close] buttons close the nearest dialog.
document.addEventListener("htmx:afterSwap", (e) => {
  const dialog = e.detail.target.closest("dialog");
  if (dialog && !dialog.open) dialog.showModal();
});
document.addEventListener("click", (e) => {
  const closer = e.target.closest("[data-close]");
  if (closer) closer.closest("dialog")?.close();
});

// A form re-rendered with its errors comes back as 400; swap it in like a success so the
// errors show next to the fields (htmx 2 does not swap 4xx responses by default).
document.addEventListener("htmx:beforeSwap", (e) => {
  if (e.detail.xhr.status === 400 || e.detail.xhr.status === 422) {
    e.detail.shouldSwap = true;
    e.detail.isError = false;
  }
});

// A page rendered with a dialog already filled (e.g. the ticket list with ?open=N) opens it.
function openPresetDialogs() {
  document.querySelectorAll("dialog[data-open]").forEach((d) => {
    d.removeAttribute("data-open");
    if (!d.open) d.showModal();
  });
}
document.addEventListener("DOMContentLoaded", openPresetDialogs);

// Closing a dialog opened from ?open=N drops the parameter, so a reload does not reopen it.
document.addEventListener("close", (e) => {
  if (!(e.target instanceof HTMLDialogElement)) return;
  const url = new URL(window.location.href);
  if (url.searchParams.has("open")) {
    url.searchParams.delete("open");
    history.replaceState(null, "", url.pathname + (url.search ? url.search : ""));
  }
}, true);

// Sub-tabs: a button[data-tab] shows the [data-panel] of the same name in its container.
document.addEventListener("click", (e) => {
  const tab = e.target.closest(".subtabs [data-tab]");
  if (!tab) return;
  const scope = tab.closest("form, dialog, .page-dialog") || document;
  scope.querySelectorAll(".subtabs [data-tab]").forEach((b) => {
    const on = b === tab;
    b.classList.toggle("active", on);
    b.setAttribute("aria-selected", on ? "true" : "false");
  });
  scope.querySelectorAll("[data-panel]").forEach((p) => {
    p.hidden = p.dataset.panel !== tab.dataset.tab;
  });
});

// Live updates: the ticket list listens to the workspace's event stream and, when someone
// else creates or changes a ticket, offers a refresh instead of moving rows under the cursor.
(function liveNotice() {
  let lastOwnWrite = 0;
  document.addEventListener("htmx:afterRequest", (e) => {
    if ((e.detail.requestConfig?.verb || "").toLowerCase() === "post") lastOwnWrite = Date.now();
  });
  document.addEventListener("submit", () => { lastOwnWrite = Date.now(); });
  document.addEventListener("click", (e) => {
    if (!e.target.closest("[data-refresh-list]")) return;
    const notice = document.getElementById("live-notice");
    if (notice) notice.hidden = true;
    if (window.htmx && document.getElementById("results")) htmx.trigger(document.body, "tickets-changed");
    else window.location.reload();
  });

  function connect(notice, attempt) {
    if (!("WebSocket" in window)) return;
    const proto = window.location.protocol === "https:" ? "wss:" : "ws:";
    let ws;
    try {
      ws = new WebSocket(proto + "//" + window.location.host + notice.dataset.wsPath);
    } catch (err) {
      return;
    }
    ws.addEventListener("open", () => { attempt = 0; });
    ws.addEventListener("message", (m) => {
      let data;
      try { data = JSON.parse(m.data); } catch (err) { return; }
      const kind = data && data.type === "event" && data.event ? String(data.event.type || "") : "";
      if (!kind.startsWith("case.")) return;
      if (Date.now() - lastOwnWrite < 4000) return;  // our own change; the list already refreshed
      notice.hidden = false;
    });
    ws.addEventListener("close", (ev) => {
      // 4401/4403: not allowed; do not insist. Otherwise retry with a growing pause.
      if (ev.code === 4401 || ev.code === 4403 || attempt >= 6) return;
      setTimeout(() => connect(notice, attempt + 1), Math.min(30000, 1000 * 2 ** attempt));
    });
  }
  document.addEventListener("DOMContentLoaded", () => {
    const notice = document.getElementById("live-notice");
    if (notice && notice.dataset.wsPath) connect(notice, 0);
  });
  document.addEventListener("htmx:afterSwap", (e) => {
    if (e.detail.target.id === "results") {
      const notice = document.getElementById("live-notice");
      if (notice) notice.hidden = true;
    }
  });
})();

// Queues & skills settings: "Edit" on a queue row shows the form row beneath it. Bound once,
// on the document (toggle does not bubble, hence the capture), so rows swapped in by htmx
// work too.
if (!window.deskSettingsEdit) {
  window.deskSettingsEdit = true;
  document.addEventListener("toggle", (e) => {
    const d = e.target;
    if (!(d instanceof HTMLDetailsElement) || !d.classList.contains("q-edit")) return;
    const row = document.getElementById(d.dataset.for);
    if (row) row.hidden = !d.open;
  }, true);
}

// The Content-Security-Policy forbids inline handlers and style="" attributes, so pages say
// what they need in data attributes: a form[data-confirm] asks before it is sent; a segment
// row's [data-depth] indents it; a load bar's [data-width] (percent) sets its fill. Styles
// set through the DOM are allowed; htmx:load runs for the page and for every swap.
document.addEventListener("submit", (e) => {
  const form = e.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) e.preventDefault();
}, true);
document.addEventListener("htmx:load", (e) => {
  const root = e.detail.elt;
  const all = (selector) => [
    ...(root.matches && root.matches(selector) ? [root] : []),
    ...root.querySelectorAll(selector),
  ];
  all("[data-depth]").forEach((el) => el.style.setProperty("--depth", el.dataset.depth));
  all("[data-width]").forEach((el) => { el.style.width = el.dataset.width + "%"; });
});

// Dates and numbers formatted in the browser look like the server's (caredesk/formats):
// <html lang data-tz data-datetime-format data-date-format> carry the user's language, zone
// and patterns. Only the pattern letters our formats use are known: d j m n M Y y H i.
window.caredesk = window.caredesk || {};
(function formats(ns) {
  const html = document.documentElement;
  const lang = html.lang || "en";
  const zone = html.dataset.tz || undefined;
  function parts(date) {
    const fmt = new Intl.DateTimeFormat(lang, {
      timeZone: zone, year: "numeric", month: "numeric", day: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
    const out = {};
    fmt.formatToParts(date).forEach((p) => { out[p.type] = p.value; });
    out.monthShort = new Intl.DateTimeFormat(lang, { timeZone: zone, month: "short" })
      .format(date).replace(".", "");
    return out;
  }
  function apply(pattern, value) {
    const date = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(date.getTime())) return "";
    const p = parts(date);
    const pad = (s) => String(s).padStart(2, "0");
    const map = {
      d: pad(p.day), j: String(Number(p.day)), m: pad(p.month), n: String(Number(p.month)),
      M: p.monthShort.charAt(0).toUpperCase() + p.monthShort.slice(1),
      Y: p.year, y: String(p.year).slice(-2), H: pad(Number(p.hour) % 24), i: pad(p.minute),
    };
    return pattern.replace(/\\?[djmnMYyHi]/g, (c) => (c.length > 1 ? c.slice(1) : map[c]));
  }
  ns.when = (value) => apply(html.dataset.datetimeFormat || "Y-m-d H:i", value);
  ns.day = (value) => apply(html.dataset.dateFormat || "Y-m-d", value);
  ns.clock = (value) => apply("H:i", value);
  ns.num = (value, decimals) => new Intl.NumberFormat(lang, {
    minimumFractionDigits: decimals || 0, maximumFractionDigits: decimals || 0,
  }).format(value);
  // The catalogue (jsi18n) defines gettext; without it the English source is shown.
  ns.t = (text) => (window.gettext ? window.gettext(text) : text);
})(window.caredesk);

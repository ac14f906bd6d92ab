// caredesk: the little JavaScript the pages need beyond htmx.
// A <dialog> filled by htmx opens itself; [data-close] buttons close the nearest dialog.
// Keyboard: focus moves into an opened dialog, Tab and Shift+Tab stay inside it, Escape closes
// it (the browser's own, for a modal dialog), and closing returns focus to what opened it.
const FOCUSABLE = [
  "a[href]", "button:not([disabled])", "input:not([type=hidden]):not([disabled])",
  "select:not([disabled])", "textarea:not([disabled])", "[tabindex]:not([tabindex='-1'])",
].join(",");

function focusables(root) {
  return [...root.querySelectorAll(FOCUSABLE)].filter(
    (el) => !el.closest("[hidden]") && el.getClientRects().length > 0,
  );
}

// What to focus when a dialog opens or its content is swapped: a field the server refused,
// else the message it sent (saved / not saved), else the first control of the visible panel,
// else the first control at all.
function focusInto(dialog) {
  const target = dialog.querySelector("[aria-invalid=true]")
    || dialog.querySelector(".msg[tabindex]")
    || focusables(dialog.querySelector("[role=tabpanel]:not([hidden])") || dialog)[0]
    || focusables(dialog)[0];
  if (target) target.focus();
}

// The element that opened a dialog, remembered as an element and as a way to find it again
// (the list may have been redrawn behind the dialog, replacing that element).
const openers = new WeakMap();
function describe(el) {
  const withId = el.id ? el : el.closest("[id]");
  if (!withId) return null;
  const selector = el === withId ? ""
    : el.tagName.toLowerCase() + [...el.classList].map((c) => "." + CSS.escape(c)).join("");
  return { id: withId.id, selector };
}
document.addEventListener("htmx:beforeRequest", (e) => {
  const dialog = e.detail.target;
  const elt = e.detail.elt;
  if (dialog instanceof HTMLDialogElement && !dialog.open && !dialog.contains(elt)) {
    const el = document.activeElement && document.activeElement !== document.body ? document.activeElement : elt;
    openers.set(dialog, { el, where: describe(el) });
  }
});

function labelDialog(dialog) {
  const heading = dialog.querySelector("h2[id]");
  if (heading) dialog.setAttribute("aria-labelledby", heading.id);
}

document.addEventListener("htmx:afterSwap", (e) => {
  const dialog = e.detail.target.closest("dialog");
  if (!dialog) return;
  labelDialog(dialog);
  if (!dialog.open) dialog.showModal();
  if (!dialog.contains(document.activeElement) || document.activeElement === dialog) focusInto(dialog);
});
document.addEventListener("click", (e) => {
  const closer = e.target.closest("[data-close]");
  if (closer) closer.closest("dialog")?.close();
});

document.addEventListener("keydown", (e) => {
  if (e.key !== "Tab") return;
  const dialog = document.querySelector("dialog[open]");
  if (!dialog) return;
  const items = focusables(dialog);
  if (!items.length) return;
  const first = items[0];
  const last = items[items.length - 1];
  const inside = dialog.contains(document.activeElement);
  if (e.shiftKey && (!inside || document.activeElement === first)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (!inside || document.activeElement === last)) {
    e.preventDefault();
    first.focus();
  }
});

document.addEventListener("close", (e) => {
  const dialog = e.target;
  if (!(dialog instanceof HTMLDialogElement)) return;
  const opener = openers.get(dialog);
  openers.delete(dialog);
  if (!opener) return;
  let el = opener.el;
  if (!el.isConnected && opener.where) {
    const holder = document.getElementById(opener.where.id);
    el = holder && (opener.where.selector ? holder.querySelector(opener.where.selector) : holder);
  }
  if (el && el.isConnected) el.focus();
  // The list behind may still be redrawn after the dialog closed (the update's refresh was in
  // flight), taking the focused element with it: focus its replacement once it arrives.
  pendingReturn = opener.where;
}, true);
let pendingReturn = null;
document.addEventListener("htmx:afterSwap", () => {
  if (!pendingReturn || document.querySelector("dialog[open]")) return;
  const where = pendingReturn;
  if (document.activeElement && document.activeElement !== document.body) {
    if (document.activeElement.isConnected) return;
  }
  const holder = document.getElementById(where.id);
  const el = holder && (where.selector ? holder.querySelector(where.selector) : holder);
  if (el) { pendingReturn = null; el.focus(); }
});
document.addEventListener("focusin", (e) => {
  // Someone moved on: a later redraw must not pull the focus back.
  if (pendingReturn && !e.target.closest("dialog")) {
    const holder = document.getElementById(pendingReturn.id);
    if (holder && !holder.contains(e.target)) pendingReturn = null;
  }
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
    labelDialog(d);
    if (!d.open) d.showModal();
    focusInto(d);
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
// Arrow keys, Home and End move between the tabs (one tab stop for the whole row).
function showTab(tab, focus) {
  const scope = tab.closest("form, dialog, .page-dialog") || document;
  scope.querySelectorAll(".subtabs [data-tab]").forEach((b) => {
    const on = b === tab;
    b.classList.toggle("active", on);
    b.setAttribute("aria-selected", on ? "true" : "false");
    b.tabIndex = on ? 0 : -1;
  });
  scope.querySelectorAll("[data-panel]").forEach((p) => {
    p.hidden = p.dataset.panel !== tab.dataset.tab;
  });
  if (focus) tab.focus();
  return scope;
}
document.addEventListener("click", (e) => {
  const tab = e.target.closest(".subtabs [data-tab]");
  if (tab) { showTab(tab, false); return; }
  // A button[data-goto] in one panel opens another tab (and focuses [data-focus] there).
  const go = e.target.closest("[data-goto]");
  if (!go) return;
  const scope = go.closest("form, dialog, .page-dialog") || document;
  const target = scope.querySelector(`.subtabs [data-tab="${go.dataset.goto}"]`);
  if (!target) return;
  showTab(target, false);
  const field = go.dataset.focus && scope.querySelector(go.dataset.focus);
  (field || target).focus();
});
document.addEventListener("keydown", (e) => {
  const tab = e.target.closest && e.target.closest(".subtabs [data-tab]");
  if (!tab || !["ArrowLeft", "ArrowRight", "Home", "End"].includes(e.key)) return;
  const tabs = [...tab.parentElement.querySelectorAll("[data-tab]")];
  const i = tabs.indexOf(tab);
  const next = { ArrowLeft: i - 1, ArrowRight: i + 1, Home: 0, End: tabs.length - 1 }[e.key];
  e.preventDefault();
  showTab(tabs[(next + tabs.length) % tabs.length], true);
});

// A select[data-tree] (segments) names its options plainly, so the closed select shows
// "Lisbon"; while its list is open, the options are indented by their data-level.
(function treeSelects() {
  const pad = "\u00a0\u00a0\u00a0";
  function indent(select, on) {
    [...select.options].forEach((o) => {
      if (o.dataset.level === undefined) return;
      if (o.dataset.name === undefined) o.dataset.name = o.text;
      o.text = on ? pad.repeat(Number(o.dataset.level)) + o.dataset.name : o.dataset.name;
    });
  }
  const tree = (e) => e.target.closest && e.target.closest("select[data-tree]");
  document.addEventListener("mousedown", (e) => { const s = tree(e); if (s) indent(s, true); }, true);
  document.addEventListener("keydown", (e) => {
    const s = tree(e);
    if (!s) return;
    const opens = e.altKey ? ["ArrowDown", "ArrowUp"].includes(e.key) : [" ", "Enter", "F4"].includes(e.key);
    indent(s, opens);
  }, true);
  ["change", "blur", "focusout"].forEach((type) => document.addEventListener(type, (e) => {
    const s = tree(e);
    if (s) indent(s, false);
  }, true));
})();

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

// Menus of the top bar (workspace switcher, app switcher, user menu): a button with
// aria-expanded shows its panel; Escape or a click elsewhere closes it, and Escape puts the
// focus back on the button.
(function () {
  function setOpen(menu, open) {
    const button = menu.querySelector("[data-menu-button]");
    const panel = document.getElementById(button.getAttribute("aria-controls"));
    button.setAttribute("aria-expanded", open ? "true" : "false");
    panel.hidden = !open;
  }
  function closeAll(except) {
    document.querySelectorAll("[data-menu]").forEach((m) => { if (m !== except) setOpen(m, false); });
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-menu-button]");
    if (button) {
      const menu = button.closest("[data-menu]");
      const open = button.getAttribute("aria-expanded") !== "true";
      closeAll(menu);
      setOpen(menu, open);
      if (open) {
        const first = menu.querySelector(".menu-panel a, .menu-panel button");
        if (first && event.detail === 0) first.focus();  // opened by keyboard
      }
      return;
    }
    if (!event.target.closest("[data-menu]")) closeAll(null);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const menu = event.target.closest && event.target.closest("[data-menu]");
    const open = document.querySelector('[data-menu] [aria-expanded="true"]');
    if (!open) return;
    const owner = menu || open.closest("[data-menu]");
    setOpen(owner, false);
    owner.querySelector("[data-menu-button]").focus();
  });
  document.addEventListener("focusout", (event) => {
    const menu = event.target.closest && event.target.closest("[data-menu]");
    if (menu && event.relatedTarget && !menu.contains(event.relatedTarget)) setOpen(menu, false);
  });
})();

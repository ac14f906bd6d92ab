// caredesk Desk: knowledge articles in the reply box (caredesk.resources, reached by URL only).
// - Suggestions for the open chat, fetched again when the customer writes.
// - "/" at the start of the reply opens a quick search (a listbox: ↑ ↓ Enter Esc).
// - Insert puts the article's excerpt (and public link) into the reply; the server records it.
// Titles and snippets from the quick search are put in the page with textContent.
(function () {
  "use strict";

  const root = document.getElementById("desk");
  const panel = document.getElementById("art-suggest");
  if (!root || !panel) return;

  const $ = (id) => document.getElementById(id);
  const reply = $("reply");
  const body = $("art-body");
  const quick = $("art-quick");
  const list = $("art-quick-list");
  const note = $("art-quick-note");
  const REFRESH_MS = 400;
  const QUICK_MS = 150;

  const state = {
    token: null,
    ended: false,
    suggestSeq: 0,
    refreshTimer: null,
    quickTimer: null,
    quickSeq: 0,
    quickQuery: null,
    items: [],
    active: -1,
  };

  function csrf() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (err) {
      return "";
    }
  }

  function status(text) {
    $("art-status").textContent = text || "";
  }

  // ---- suggestions -------------------------------------------------------------------

  function loadSuggestions() {
    if (!state.token || state.ended) return;
    const seq = ++state.suggestSeq;
    const url = panel.dataset.suggestUrl + "?conversation=" + encodeURIComponent(state.token);
    panel.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => {
        if (seq !== state.suggestSeq) return; // another chat was opened meanwhile
        // Server-rendered with every title and snippet escaped (resources/_suggestions.html).
        body.innerHTML = html;
        const listEl = body.querySelector(".art-list");
        $("art-count").textContent = listEl ? listEl.dataset.count : "0";
      })
      .catch(() => { if (seq === state.suggestSeq) status(gettext("Suggestions are not available right now.")); })
      .finally(() => panel.removeAttribute("aria-busy"));
  }

  function refreshSoon() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(loadSuggestions, REFRESH_MS);
  }

  root.addEventListener("desk:chat", (e) => {
    const d = e.detail;
    closeQuick();
    status("");
    state.token = d ? d.token : null;
    state.ended = d ? d.ended : false;
    body.replaceChildren();
    $("art-count").textContent = "0";
    panel.hidden = !state.token || state.ended;
    if (state.token && !state.ended) loadSuggestions();
  });
  root.addEventListener("desk:chat-ended", (e) => {
    if (e.detail && e.detail.token === state.token) {
      state.ended = true;
      panel.hidden = true;
      closeQuick();
    }
  });
  root.addEventListener("desk:customer-message", (e) => {
    if (e.detail && e.detail.token === state.token) refreshSoon();
  });

  $("art-toggle").addEventListener("click", () => {
    const open = $("art-toggle").getAttribute("aria-expanded") !== "true";
    $("art-toggle").setAttribute("aria-expanded", open ? "true" : "false");
    body.hidden = !open;
  });

  body.addEventListener("click", (e) => {
    const button = e.target.closest("[data-insert]");
    if (!button) return;
    button.disabled = true;
    insert(button.dataset.insert, button.dataset.translation, false).finally(() => { button.disabled = false; });
  });

  // ---- inserting ---------------------------------------------------------------------

  function putText(text, replaceSlash) {
    let value = reply.value;
    if (replaceSlash) {
      const end = value.indexOf("\n");
      value = end < 0 ? "" : value.slice(end + 1);
      reply.value = text + (value ? "\n" + value : "");
      reply.setSelectionRange(text.length, text.length);
    } else {
      const at = reply.selectionStart === undefined ? value.length : reply.selectionEnd;
      const before = value.slice(0, at);
      const after = value.slice(at);
      const sep = before && !before.endsWith("\n") ? "\n\n" : "";
      reply.value = before + sep + text + after;
      const caret = (before + sep + text).length;
      reply.setSelectionRange(caret, caret);
    }
    reply.dispatchEvent(new Event("input", { bubbles: true })); // the typing indicator
    reply.focus();
  }

  function insert(article, translation, replaceSlash) {
    if (!state.token) return Promise.resolve();
    const form = new URLSearchParams();
    form.set("conversation", state.token);
    form.set("article", article);
    if (translation) form.set("translation", translation);
    return fetch(panel.dataset.insertUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    })
      .then((r) => r.json().then((data) => ({ ok: r.ok, data })))
      .then(({ ok, data }) => {
        if (!ok) {
          status(data.detail || gettext("The article could not be inserted."));
          return;
        }
        putText(data.text, replaceSlash);
        status(interpolate(gettext("Inserted “%(title)s”. Edit the reply before sending it."), { title: data.title }, true));
      })
      .catch(() => status(gettext("The article could not be inserted.")));
  }

  // ---- "/" quick search --------------------------------------------------------------

  function slashQuery() {
    const value = reply.value;
    if (!value.startsWith("/")) return null;
    const line = value.split("\n", 1)[0];
    if (reply.selectionStart > line.length) return null; // writing below the first line
    return line.slice(1).trim();
  }

  function openQuick() {
    quick.hidden = false;
    reply.setAttribute("role", "combobox");
    reply.setAttribute("aria-expanded", "true");
    reply.setAttribute("aria-controls", "art-quick-list");
    reply.setAttribute("aria-autocomplete", "list");
  }

  function closeQuick() {
    clearTimeout(state.quickTimer);
    state.quickSeq++;
    state.quickQuery = null;
    state.items = [];
    state.active = -1;
    quick.hidden = true;
    list.replaceChildren();
    // Back to a plain text box: aria-expanded on a textarea that is no combobox is invalid.
    for (const name of ["aria-activedescendant", "aria-expanded", "aria-controls", "aria-autocomplete", "role"]) {
      reply.removeAttribute(name);
    }
  }

  function renderQuick() {
    list.replaceChildren();
    state.items.forEach((item, i) => {
      const li = document.createElement("li");
      li.id = "art-quick-" + i;
      li.className = "art-option";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === state.active ? "true" : "false");
      li.dataset.index = String(i);
      const title = document.createElement("span");
      title.className = "art-option-title";
      title.textContent = item.title;
      const meta = document.createElement("span");
      meta.className = "art-option-meta";
      meta.textContent = [item.language, item.audience === "public" ? pgettext("article audience", "Public") : pgettext("article audience", "Internal")].join(" · ");
      const snippet = document.createElement("span");
      snippet.className = "art-option-snippet";
      snippet.textContent = item.snippet;
      li.append(title, meta, snippet);
      list.appendChild(li);
    });
    if (state.active >= 0) {
      reply.setAttribute("aria-activedescendant", "art-quick-" + state.active);
      const el = $("art-quick-" + state.active);
      if (el) el.scrollIntoView({ block: "nearest" });
    } else {
      reply.removeAttribute("aria-activedescendant");
    }
  }

  function runQuick(q) {
    const seq = ++state.quickSeq;
    if (!q) {
      state.items = [];
      state.active = -1;
      note.textContent = gettext("Type words to search the articles. ↑ ↓ to choose, Enter to insert, Esc to close.");
      renderQuick();
      return;
    }
    note.textContent = gettext("Searching…");
    fetch(panel.dataset.quickUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((data) => {
        if (seq !== state.quickSeq) return;
        state.items = data.items || [];
        state.active = state.items.length ? 0 : -1;
        note.textContent = state.items.length
          ? interpolate(ngettext("%(count)s article", "%(count)s articles", state.items.length), { count: state.items.length }, true)
          : interpolate(gettext("No article matches “%(q)s”."), { q: q }, true);
        renderQuick();
      })
      .catch(() => { if (seq === state.quickSeq) note.textContent = gettext("The search is not available right now."); });
  }

  function onInput() {
    if (!state.token || state.ended) return;
    const q = slashQuery();
    if (q === null) { if (!quick.hidden) closeQuick(); return; }
    openQuick();
    if (q === state.quickQuery) return;
    state.quickQuery = q;
    clearTimeout(state.quickTimer);
    state.quickTimer = setTimeout(() => runQuick(q), q ? QUICK_MS : 0);
  }

  function choose(i) {
    const item = state.items[i];
    if (!item) return;
    closeQuick();
    insert(item.article, item.translation, true);
  }

  reply.addEventListener("input", onInput);
  reply.addEventListener("click", onInput);
  reply.addEventListener("blur", () => {
    // A click on an option lands after the blur: close a little later.
    setTimeout(() => { if (document.activeElement !== reply) closeQuick(); }, 200);
  });

  // On the form, in the capture phase: before desk.js's Enter-sends on the textarea.
  $("composer").addEventListener("keydown", (e) => {
    if (quick.hidden || e.target !== reply) return;
    const n = state.items.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!n) return;
      state.active = (state.active + (e.key === "ArrowDown" ? 1 : -1) + n) % n;
      renderQuick();
    } else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      if (state.active >= 0) choose(state.active);
    } else if (e.key === "Escape") {
      closeQuick();
    } else {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  }, true);

  list.addEventListener("mousedown", (e) => e.preventDefault()); // keep the focus in the reply
  list.addEventListener("click", (e) => {
    const li = e.target.closest(".art-option");
    if (li) choose(Number(li.dataset.index));
  });
})();

/* caredesk chat widget: one script tag on any site.

     <script>window.caredesk = window.caredesk || function () {
       (window.caredesk.q = window.caredesk.q || []).push(arguments); };</script>
     <script src="https://care.example.com/static/caredesk/widget.js"
             data-workspace="acme.support" async></script>

   Adds a launcher button and a chat panel (inside a shadow root, so no CSS goes in or out).
   It speaks the customer's language: data-lang="it" on the script tag or ?lang= in the
   page's address, else the one we know of the customer (remembered from their chat), else
   their browser's, else the workspace's (the server decides: config.json). Its words come
   from our JSON catalogue (/jsi18n/<lang>/json/) through the gettext, ngettext and
   interpolate of this file, never the host page's globals.
   data-mode="page" with data-container="<element id>" fills that element instead (the
   standalone page /chat/<org>.<workspace>/). The JavaScript API, documented in
   docs/realtime.md ("Chat widget"):

     caredesk("navigation", {kind: "page_visited" | "phrase_searched" | "article_viewed",
                             value: "...", url: "https://..." (optional),
                             at: "2026-11-23T14:58:00Z" (optional)})
     caredesk("visitor", {authenticated: true, customer_id: "...", name: "...", ...})
     caredesk("open") / caredesk("close")

   Calls made before the chat starts are kept (in sessionStorage, so across the site's pages)
   and sent with `start`; after it, they are sent at once. Protocol: /ws/v1/chat/ in
   docs/realtime.md. Every text from a customer or an agent is shown with textContent.

   Before a chat, the customer can search the workspace's public help articles (config.help,
   the help center's search.json) and read one in the panel (its HTML is the server's,
   sanitized by caredesk.core.markdown); opening one is an `article_viewed` navigation event
   with the article's public address. */
(function () {
  "use strict";

  var previous = window.caredesk;
  if (previous && previous.loaded) return; // the script was included twice
  var script =
    document.currentScript ||
    document.querySelector("script[data-workspace][src*='widget.js']");
  if (!script || !script.getAttribute("data-workspace")) return;

  var WORKSPACE = script.getAttribute("data-workspace");
  // The language asked for by the site (data-lang) or the page's address (?lang=).
  var ASKED_LANG = script.getAttribute("data-lang") || new URLSearchParams(location.search).get("lang") || "";
  var PAGE_MODE = script.getAttribute("data-mode") === "page";
  var ORIGIN = new URL(script.src, location.href).origin;
  var STORE_KEY = "caredesk.chat." + WORKSPACE;
  var NAV_KINDS = ["page_visited", "phrase_searched", "article_viewed"];
  var MAX_NAV = 200;
  var MAX_BODY = 10000;
  var TYPING_EVERY_MS = 2000;
  var TYPING_IDLE_MS = 5000;
  var AGENT_TYPING_TIMEOUT_MS = 8000;

  // --- what survives a reload (this tab only) ---------------------------------------------
  // token: the conversation to resume; outbox: messages sent but not acknowledged (re-sent
  // with the same client_id after a reconnect, so the server stores each once); nav / visitor:
  // what the page told us before the chat began; live: what waits for the socket after it.
  var store = load();

  function load() {
    var empty = { token: null, agent: null, outbox: [], nav: [], visitor: {}, live: [], open: false, lang: "" };
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "null");
      if (saved && typeof saved === "object") {
        for (var k in empty) if (!(k in saved)) saved[k] = empty[k];
        return saved;
      }
    } catch (e) {
      /* storage disabled or unreadable: start afresh */
    }
    return empty;
  }

  function save() {
    try {
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(store));
    } catch (e) {
      /* storage full or disabled: the chat still works, a reload just forgets it */
    }
  }

  // --- words ---------------------------------------------------------------------------------
  // Django's catalogue of the customer's language (JSONCatalog): {msgid: text or [forms]}.
  // Local functions with Django's names, so makemessages finds the strings of this file.
  var catalogue = {};
  var pluralRule = null;
  var language = "en";

  function pluralIndex(n) {
    if (pluralRule === "(n != 1)" || pluralRule === "n != 1") return n !== 1 ? 1 : 0;
    if (pluralRule === "(n > 1)" || pluralRule === "n > 1") return n > 1 ? 1 : 0;
    // Any other rule is not evaluated (no eval under a Content-Security-Policy): the CLDR's.
    try {
      return new Intl.PluralRules(language).select(n) === "one" ? 0 : 1;
    } catch (e) {
      return n !== 1 ? 1 : 0;
    }
  }

  function gettext(msgid) {
    var found = catalogue[msgid];
    if (found === undefined || found === "") return msgid;
    return typeof found === "string" ? found : found[0];
  }

  function ngettext(singular, plural, count) {
    var found = catalogue[singular];
    var index = pluralIndex(count);
    if (found && typeof found !== "string" && found[index]) return found[index];
    return count === 1 ? singular : plural;
  }

  function interpolate(fmt, values, named) {
    if (named) {
      return fmt.replace(/%\(\w+\)s/g, function (m) {
        return String(values[m.slice(2, -2)]);
      });
    }
    var i = 0;
    return fmt.replace(/%s/g, function () {
      return String(values[i++]);
    });
  }

  // --- the public API (calls queued by the snippet before this loaded are replayed) --------
  var config = null;
  var ui = null;

  function api(command, arg) {
    if (command === "navigation") return navigation(arg || {});
    if (command === "visitor") return visitorSet(arg || {});
    if (command === "open") return setOpen(true);
    if (command === "close") return setOpen(false);
    if (window.console) console.warn("caredesk: unknown command", command);
  }

  function navigation(event) {
    if (NAV_KINDS.indexOf(event.kind) < 0 || typeof event.value !== "string" || !event.value) {
      if (window.console) console.warn("caredesk: navigation needs a kind of " + NAV_KINDS + " and a value");
      return;
    }
    var at = event.at instanceof Date ? event.at.toISOString() : event.at;
    var item = {
      type: "navigation",
      kind: event.kind,
      value: event.value.slice(0, 2000),
      at: typeof at === "string" && at ? at : new Date().toISOString(),
    };
    // Only a web address is sent (the server refuses anything else, and the desk links it).
    if (typeof event.url === "string" && /^https?:\/\//i.test(event.url) && event.url.length <= 2000) {
      item.url = event.url;
    }
    if (!store.token) {
      store.nav.push(item);
      if (store.nav.length > MAX_NAV) store.nav.shift();
      save();
      // The server keeps events sent before `start` for this connection.
      if (socketReady && navSent) send(item);
      return;
    }
    sendLive(item);
  }

  function flat(details) {
    var out = {};
    for (var k in details) {
      var v = details[k];
      if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
        out[k] = v;
      }
    }
    return out;
  }

  function visitorSet(details) {
    var clean = flat(details);
    for (var k in clean) store.visitor[k] = clean[k];
    save();
    if (store.token) sendLive({ type: "visitor", visitor: clean });
  }

  function visitorDetails() {
    var v = { authenticated: false, page: location.href, language: navigator.language || "" };
    if (document.referrer) v.referrer = document.referrer;
    if (document.title) v.page_title = document.title.slice(0, 200);
    for (var k in store.visitor) v[k] = store.visitor[k];
    return v;
  }

  window.caredesk = api;
  api.loaded = true;
  var queued = (previous && previous.q) || [];
  for (var i = 0; i < queued.length; i++) api.apply(null, queued[i]);

  // --- the websocket ------------------------------------------------------------------------
  var ws = null;
  var socketReady = false; // hello received
  var wantSocket = false;
  var attempt = 0;
  var reconnectTimer = null;
  var navSent = false; // this connection already has the pre-start navigation events
  var resuming = false;
  var pendingStart = null; // {pre_chat} while a start is wanted but not answered
  var inflight = []; // client_ids sent on this connection, in order, not yet answered
  var status = null; // waiting | offered | active | ended
  var agentReadUpTo = 0;
  var lastReadSent = 0;
  var typingOn = false;
  var typingSentAt = 0;
  var typingIdle = null;
  var agentTypingTimer = null;
  var unread = 0;

  function socketUrl() {
    return ORIGIN.replace(/^http/, "ws") + config.socket;
  }

  function connect() {
    wantSocket = true;
    if (ws) return;
    var sock = new WebSocket(socketUrl());
    ws = sock;
    sock.onmessage = function (e) {
      if (ws !== sock) return;
      var data;
      try {
        data = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      receive(data);
    };
    sock.onclose = function (e) {
      if (ws !== sock) return;
      ws = null;
      socketReady = false;
      inflight = [];
      if (e.code === 4404) return unavailable();
      if (wantSocket) scheduleReconnect();
    };
  }

  function disconnect() {
    wantSocket = false;
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (ws) {
      var sock = ws;
      ws = null;
      socketReady = false;
      sock.close();
    }
  }

  function scheduleReconnect() {
    if (reconnectTimer) return;
    // Exponential backoff with jitter: 0.5 s, 1 s, 2 s ... at most 30 s.
    var delay = Math.min(30000, 500 * Math.pow(2, attempt)) * (0.75 + Math.random() * 0.5);
    attempt++;
    banner(gettext("Connection lost. Reconnecting…"));
    reconnectTimer = setTimeout(function () {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  window.addEventListener("online", function () {
    if (wantSocket && !ws) {
      clearTimeout(reconnectTimer);
      reconnectTimer = null;
      connect();
    }
  });

  function send(payload) {
    if (!ws || !socketReady) return false;
    ws.send(JSON.stringify(payload));
    return true;
  }

  function sendLive(item) {
    // After the chat began: now if we can, else after the next resume.
    if (socketReady && !resuming && send(item)) return;
    store.live.push(item);
    if (store.live.length > MAX_NAV) store.live.shift();
    save();
  }

  function transmit(message) {
    if (send({ type: "message", client_id: message.client_id, body: message.body })) {
      inflight.push(message.client_id);
    }
  }

  function sendStart() {
    if (!navSent) {
      for (var i = 0; i < store.nav.length; i++) send(store.nav[i]);
      navSent = true;
    }
    send({ type: "start", pre_chat: pendingStart.pre_chat, visitor: visitorDetails(), language: language });
  }

  function requestStart(preChat) {
    pendingStart = { pre_chat: preChat };
    if (socketReady) sendStart();
    else connect();
  }

  // --- server → widget ----------------------------------------------------------------------
  function receive(m) {
    var handler = handlers[m.type];
    if (handler) handler(m);
  }

  var handlers = {
    hello: function () {
      socketReady = true;
      attempt = 0;
      navSent = false;
      lastReadSent = 0;
      banner("");
      if (store.token) {
        resuming = true;
        send({ type: "resume", conversation: store.token });
      } else if (pendingStart) {
        sendStart();
      }
    },
    started: function (m) {
      pendingStart = null;
      store.token = m.conversation;
      remember(m.language);
      store.nav = [];
      save();
      setStatus(m.status);
      showChat();
      for (var i = 0; i < store.outbox.length; i++) transmit(store.outbox[i]);
    },
    history: function (m) {
      resuming = false;
      remember(m.language);
      agentReadUpTo = m.agent_read_up_to || 0;
      showChat();
      ui.clearLog();
      byId = {};
      byClient = {};
      var stored = {};
      for (var i = 0; i < m.messages.length; i++) {
        addMessage(m.messages[i]);
        stored[m.messages[i].client_id] = true;
      }
      // Messages the server never acknowledged go again with their own client_id: stored once
      // whether or not the first try reached the database.
      store.outbox = store.outbox.filter(function (o) {
        return !stored[o.client_id];
      });
      save();
      setStatus(m.status);
      if (m.status === "ended") {
        store.outbox = [];
        save();
        return;
      }
      for (var j = 0; j < store.outbox.length; j++) {
        addLocal(store.outbox[j]);
        transmit(store.outbox[j]);
      }
      var live = store.live;
      store.live = [];
      save();
      for (var k = 0; k < live.length; k++) send(live[k]);
      markRead();
    },
    ack: function (m) {
      inflight = inflight.filter(function (c) {
        return c !== m.client_id;
      });
      store.outbox = store.outbox.filter(function (o) {
        return o.client_id !== m.client_id;
      });
      save();
      var entry = byClient[m.client_id];
      if (entry) {
        entry.id = m.id;
        byId[m.id] = entry;
        setState(entry, agentReadUpTo >= m.id ? "read" : "sent");
      }
    },
    message: function (m) {
      if (byId[m.id]) return;
      agentTyping(false);
      addMessage(m);
      if (isVisible()) markRead();
      else if (m.sender !== "customer") {
        unread++;
        ui.setUnread(unread);
      }
    },
    status: function (m) {
      if (m.status === "active" && m.agent) {
        store.agent = m.agent;
        save();
      }
      setStatus(m.status);
    },
    ended: function () {
      setStatus("ended");
    },
    typing: function (m) {
      if (m.sender === "agent") agentTyping(!!m.typing);
    },
    read: function (m) {
      if (m.reader !== "agent" || typeof m.up_to !== "number") return;
      agentReadUpTo = Math.max(agentReadUpTo, m.up_to);
      refreshStates();
    },
    error: function (m) {
      var field = m.field || "";
      if (resuming && field === "conversation") {
        // The conversation is gone (or the token is from elsewhere): begin again.
        resuming = false;
        forget();
        showStart();
        return;
      }
      // "start": refused as such (too many chats from this connection); shown on the form.
      if (pendingStart && (field.indexOf("pre_chat") === 0 || field === "visitor" || field === "start")) {
        pendingStart = null;
        ui.formError(field, m.message);
        return;
      }
      if ((field === "body" || field === "client_id" || field === "conversation") && inflight.length) {
        var clientId = inflight.shift();
        store.outbox = store.outbox.filter(function (o) {
          return o.client_id !== clientId;
        });
        save();
        if (byClient[clientId]) setState(byClient[clientId], "failed", m.message);
        return;
      }
      if (window.console) console.warn("caredesk:", field, m.message);
    },
  };

  // --- messages -----------------------------------------------------------------------------
  var byId = {};
  var byClient = {};

  function addMessage(m) {
    var mine = m.sender === "customer";
    var entry = byClient[m.client_id];
    if (mine && entry && entry.mine) {
      // Already shown (sent from this page): now we know its id.
      entry.id = m.id;
    } else {
      entry = ui.addBubble(m.sender, m.body, m.created_at);
      entry.id = m.id;
      entry.mine = mine;
      if (mine) byClient[m.client_id] = entry;
    }
    byId[m.id] = entry;
    if (mine) setState(entry, agentReadUpTo >= m.id ? "read" : "sent");
    return entry;
  }

  function addLocal(message) {
    var entry = byClient[message.client_id];
    if (!entry) {
      entry = ui.addBubble("customer", message.body, new Date().toISOString());
      entry.mine = true;
      byClient[message.client_id] = entry;
    }
    setState(entry, "sending");
    return entry;
  }

  function setState(entry, state, why) {
    entry.state = state;
    ui.setState(entry, state, why);
  }

  function refreshStates() {
    for (var id in byId) {
      var entry = byId[id];
      if (entry.mine && entry.state === "sent" && entry.id <= agentReadUpTo) setState(entry, "read");
    }
  }

  function newClientId() {
    var bytes = new Uint8Array(8);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
    return "c-" + Date.now().toString(36) + "-" + hex;
  }

  function sendMessage(body) {
    if (!body.trim()) return false;
    if (body.length > MAX_BODY) {
      ui.notice(
        interpolate(gettext("A message can have at most %(max)s characters."), { max: MAX_BODY }, true)
      );
      return false;
    }
    var message = { client_id: newClientId(), body: body };
    store.outbox.push(message);
    save();
    addLocal(message);
    typing(false);
    if (!store.token) {
      // No pre-chat survey: the first message starts the chat.
      if (!pendingStart) requestStart({});
    } else if (socketReady && !resuming) {
      transmit(message);
    }
    return true;
  }

  // --- typing and read receipts -------------------------------------------------------------
  function typing(on) {
    clearTimeout(typingIdle);
    if (!store.token || status === "ended" || !socketReady || resuming) {
      typingOn = false;
      return;
    }
    var now = Date.now();
    if (on) {
      // At most once every 2 s while typing; false after 5 s without a keystroke.
      if (!typingOn || now - typingSentAt >= TYPING_EVERY_MS) {
        send({ type: "typing", typing: true });
        typingSentAt = now;
      }
      typingOn = true;
      typingIdle = setTimeout(function () {
        typing(false);
      }, TYPING_IDLE_MS);
    } else if (typingOn) {
      send({ type: "typing", typing: false });
      typingOn = false;
    }
  }

  function agentTyping(on) {
    clearTimeout(agentTypingTimer);
    var text = "";
    if (on && store.agent) text = interpolate(gettext("%(agent)s is typing…"), { agent: store.agent }, true);
    else if (on) text = gettext("The agent is typing…");
    ui.setTyping(text);
    if (on) {
      agentTypingTimer = setTimeout(function () {
        ui.setTyping("");
      }, AGENT_TYPING_TIMEOUT_MS);
    }
  }

  function isVisible() {
    return (PAGE_MODE || store.open) && document.visibilityState === "visible";
  }

  function markRead() {
    if (!store.token || !socketReady || resuming || !isVisible()) return;
    var upTo = 0;
    for (var id in byId) {
      var entry = byId[id];
      if (!entry.mine && entry.id > upTo) upTo = entry.id;
    }
    if (upTo > lastReadSent) {
      send({ type: "read", up_to: upTo });
      lastReadSent = upTo;
    }
    unread = 0;
    if (ui) ui.setUnread(0);
  }

  document.addEventListener("visibilitychange", markRead);

  // --- states of the panel ------------------------------------------------------------------
  function setStatus(s) {
    status = s;
    var text = "";
    if (s === "waiting" || s === "offered") text = gettext("Waiting for an agent…");
    else if (s === "active")
      text = store.agent
        ? interpolate(gettext("You're chatting with %(agent)s"), { agent: store.agent }, true)
        : gettext("An agent is with you");
    else if (s === "ended") text = gettext("This chat has ended");
    ui.setStatus(text, s);
    if (s === "ended") {
      agentTyping(false);
      typingOn = false;
    }
  }

  function remember(lang) {
    // The language the server knows the customer by (their chat's, or their customer
    // record's): asked for when the widget starts again, unless the site asks for one.
    if (typeof lang === "string" && lang && lang !== store.lang) {
      store.lang = lang;
      save();
    }
  }

  function forget() {
    store.token = null;
    store.agent = null;
    store.outbox = [];
    store.live = [];
    save();
    byId = {};
    byClient = {};
    agentReadUpTo = 0;
    status = null;
  }

  function showStart() {
    ui.clearLog();
    if (config.fields.length) ui.showForm();
    else ui.showChat(null);
    helpWanted();
  }

  // --- help articles before a chat ----------------------------------------------------------
  // Loaded when the pre-chat view is first seen (not on every page of the site): the most
  // viewed articles; none at all means the workspace has no public articles, and the search
  // stays hidden.
  var help = { loaded: false, available: false, seq: 0 };

  function helpWanted() {
    if (!config.help || help.loaded || store.token || !(PAGE_MODE || store.open)) return;
    help.loaded = true;
    helpSearch("", function (results) {
      help.available = results.length > 0;
      if (help.available) ui.helpShow(results, "");
    });
  }

  function helpSearch(query, done) {
    var seq = ++help.seq;
    var url = ORIGIN + config.help + "?lang=" + encodeURIComponent(language) + "&q=" + encodeURIComponent(query);
    getJson(url).then(function (found) {
      if (seq !== help.seq) return; // an older answer, overtaken by the customer's typing
      done((found && found.results) || []);
    });
  }

  function helpOpen(result) {
    getJson(result.article).then(function (article) {
      if (!article) return ui.helpError();
      ui.helpArticle(article);
      navigation({ kind: "article_viewed", value: article.title, url: article.url });
    });
  }

  function showChat() {
    ui.showChat(status);
  }

  function newChat() {
    disconnect();
    forget();
    showStart();
  }

  function endChat() {
    if (store.token && socketReady) send({ type: "end" });
  }

  function unavailable() {
    wantSocket = false;
    if (ui) ui.unavailable();
  }

  function banner(text) {
    if (ui) ui.banner(text);
  }

  function setOpen(open) {
    store.open = !!open;
    save();
    if (ui) ui.setOpen(store.open);
    if (store.open) {
      markRead();
      if (ui) ui.focus();
      if (ui && config) helpWanted();
    }
  }

  // --- the DOM --------------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) {
      if (c) node.appendChild(c);
    });
    return node;
  }

  var ICON_CHAT =
    '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
  var ICON_CLOSE =
    '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z"/></svg>';
  var ICON_SEND =
    '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M3 20.5 21 12 3 3.5v6.6l12 1.9-12 1.9z"/></svg>';

  var CSS =
    ":host{all:initial}" +
    "*{box-sizing:border-box}" +
    ".root{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2330;-webkit-font-smoothing:antialiased}" +
    ".launcher{position:fixed;right:20px;bottom:20px;width:58px;height:58px;border-radius:50%;border:0;background:#2457d6;color:#fff;cursor:pointer;box-shadow:0 6px 20px rgba(20,40,90,.3);display:flex;align-items:center;justify-content:center;z-index:2147483000}" +
    ".launcher:hover{background:#1c47b3}.launcher:focus-visible{outline:3px solid #9db6f5;outline-offset:2px}" +
    ".badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#d92d20;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}" +
    ".panel{display:flex;flex-direction:column;background:#fff;overflow:hidden}" +
    ".floating .panel{position:fixed;right:20px;bottom:92px;width:370px;height:min(600px,calc(100vh - 112px));border-radius:14px;box-shadow:0 12px 40px rgba(20,40,90,.25);z-index:2147483000}" +
    ".root.page{height:100%}.page .panel{height:100%;border-radius:0}" +
    "@media (min-width:641px){.page .panel{height:calc(100% - 32px);margin:16px 0;border-radius:14px;box-shadow:0 4px 24px rgba(20,40,90,.12)}}" +
    "@media (max-width:480px){.floating .panel{inset:0;width:auto;height:auto;border-radius:0}.floating.open .launcher{display:none}}" +
    // 16px inputs: phones zoom into smaller ones on focus.
    "@media (max-width:640px){.field input,.field select,.composer textarea{font-size:16px}}" +
    "[hidden]{display:none!important}" +
    ".head{display:flex;align-items:center;gap:8px;padding:14px 14px 14px 18px;background:#2457d6;color:#fff}" +
    ".titles{flex:1;min-width:0}" +
    ".title{margin:0;font-size:16px;font-weight:650;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}" +
    ".status{margin:2px 0 0;font-size:12.5px;opacity:.9;display:flex;align-items:center;gap:6px}" +
    ".dot{width:8px;height:8px;border-radius:50%;background:#f5b83d;flex:none}.dot.is-active{background:#3ccf7a}.dot.is-ended{background:#c7cdd8}" +
    ".head button{font:inherit;border:0;cursor:pointer;color:#fff;background:rgba(255,255,255,.14);border-radius:8px}" +
    ".head button:hover{background:rgba(255,255,255,.26)}" +
    ".end{padding:6px 10px;font-size:12.5px;font-weight:600}.close{width:34px;height:34px;display:flex;align-items:center;justify-content:center}" +
    ".banner{padding:7px 14px;background:#fff4e0;color:#7a4a00;font-size:12.5px;border-bottom:1px solid #f3dfb8}" +
    ".body{flex:1;overflow-y:auto;padding:16px;background:#f6f7f9}" +
    ".greeting{margin:0 0 14px;padding:12px 14px;background:#fff;border-radius:12px;border:1px solid #e3e7ee;white-space:pre-wrap;overflow-wrap:anywhere}" +
    ".form{display:flex;flex-direction:column;gap:12px}" +
    ".field label{display:block;font-weight:600;margin:0 0 4px;font-size:13px}.opt{font-weight:400;color:#5b6475}" +
    ".field input,.field select{display:block;width:100%;font:inherit;padding:10px 11px;border:1px solid #c8cdd6;border-radius:8px;background:#fff;color:inherit}" +
    ".field input:focus,.field select:focus,.composer textarea:focus{outline:2px solid #2457d6;outline-offset:-1px;border-color:#2457d6}" +
    ".field.invalid input,.field.invalid select{border-color:#b42318}" +
    ".err{margin:4px 0 0;color:#b42318;font-size:12.5px}" +
    ".primary{font:inherit;font-weight:600;padding:11px;border:0;border-radius:8px;background:#2457d6;color:#fff;cursor:pointer}" +
    ".primary:hover{background:#1c47b3}.primary:disabled{opacity:.6;cursor:default}" +
    ".log{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}" +
    ".msg{display:flex;flex-direction:column;max-width:82%}" +
    ".msg.me{align-self:flex-end;align-items:flex-end}.msg.them{align-self:flex-start;align-items:flex-start}" +
    ".msg.system{align-self:center;max-width:90%;align-items:center}" +
    ".bubble{padding:9px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}" +
    ".me .bubble{background:#2457d6;color:#fff;border-bottom-right-radius:4px}" +
    ".them .bubble{background:#fff;border:1px solid #e3e7ee;border-bottom-left-radius:4px}" +
    ".system .bubble{background:transparent;color:#5b6475;font-size:12.5px;padding:2px 6px}" +
    ".meta{font-size:11.5px;color:#545c6d;margin-top:3px}.meta .failed{color:#b42318}" +
    ".typing{min-height:20px;padding:2px 16px;font-size:12.5px;color:#5b6475;font-style:italic;background:#f6f7f9}" +
    ".composer{display:flex;gap:8px;align-items:flex-end;padding:10px 12px;border-top:1px solid #e3e7ee;background:#fff}" +
    ".composer textarea{flex:1;font:inherit;resize:none;min-height:42px;max-height:140px;padding:10px 12px;border:1px solid #c8cdd6;border-radius:10px;color:inherit}" +
    ".send{flex:none;width:42px;height:42px;border:0;border-radius:10px;background:#2457d6;color:#fff;cursor:pointer;display:flex;align-items:center;justify-content:center}" +
    ".send:hover{background:#1c47b3}" +
    ".endbox{padding:14px 16px;border-top:1px solid #e3e7ee;background:#fff;text-align:center}" +
    ".endbox p{margin:0 0 10px;color:#5b6475}" +
    ".notice{margin:0;padding:6px 16px;font-size:12.5px;color:#b42318;background:#fff}" +
    ".unavailable{padding:32px 20px;text-align:center;color:#5b6475}" +
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
    ".help{margin:0 0 16px;padding:12px;background:#fff;border:1px solid #e3e7ee;border-radius:12px}" +
    ".help-search{display:flex;gap:6px}" +
    ".help-search input{flex:1;min-width:0;font:inherit;padding:9px 11px;border:1px solid #c8cdd6;border-radius:8px;color:inherit}" +
    ".help-search input:focus{outline:2px solid #2457d6;outline-offset:-1px;border-color:#2457d6}" +
    ".help-search button{font:inherit;font-weight:600;padding:0 12px;border:1px solid #c8cdd6;border-radius:8px;background:#f6f7f9;color:#1d2330;cursor:pointer}" +
    ".help-h{margin:10px 0 4px;font-size:12px;font-weight:600;color:#5b6475;text-transform:uppercase;letter-spacing:.03em}" +
    ".help-list{list-style:none;margin:0;padding:0}" +
    ".help-list li{border-top:1px solid #eef0f4}.help-list li:first-child{border-top:0}" +
    ".help-item{display:block;width:100%;text-align:left;font:inherit;background:none;border:0;padding:8px 2px;cursor:pointer;color:inherit}" +
    ".help-item:hover .help-title,.help-item:focus-visible .help-title{text-decoration:underline}" +
    ".help-item:focus-visible{outline:2px solid #2457d6;outline-offset:1px;border-radius:6px}" +
    ".help-title{display:block;font-weight:600;color:#2457d6}" +
    ".help-snippet{display:block;font-size:12.5px;color:#5b6475;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}" +
    ".help-none{margin:8px 0 0;font-size:13px;color:#5b6475}" +
    ".article{background:#fff;border:1px solid #e3e7ee;border-radius:12px;padding:12px 14px}" +
    ".article-nav{display:flex;justify-content:space-between;align-items:center;gap:8px;margin:0 0 10px;font-size:13px}" +
    ".link{font:inherit;background:none;border:0;padding:4px 0;color:#2457d6;cursor:pointer;text-decoration:underline}" +
    ".article a{color:#2457d6}" +
    ".article h3{margin:0 0 8px;font-size:17px;overflow-wrap:anywhere}" +
    ".article-body{overflow-wrap:anywhere}.article-body img{max-width:100%;height:auto}" +
    ".article-body pre{overflow-x:auto;background:#f6f7f9;padding:8px;border-radius:6px}" +
    ".article-body table{display:block;overflow-x:auto;border-collapse:collapse}.article-body td,.article-body th{border:1px solid #e3e7ee;padding:4px 6px}" +
    ".article-foot{margin:14px 0 0;padding-top:12px;border-top:1px solid #eef0f4;text-align:center}" +
    ".article-foot p{margin:0 0 8px;color:#5b6475}" +
    "@media (max-width:640px){.help-search input{font-size:16px}}";

  function buildUi(mount) {
    var host = el("div", { "data-caredesk-widget": WORKSPACE });
    var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    // A page whose Content-Security-Policy allows inline styles only with a nonce (our own
    // chat page does) gives this script one: the widget's stylesheet carries it too.
    root.appendChild(el("style", script.nonce ? { text: CSS, nonce: script.nonce } : { text: CSS }));
    // lang: screen readers read the widget in its language, whatever the page's is.
    var wrap = el("div", { className: "root " + (PAGE_MODE ? "page" : "floating"), lang: language });
    root.appendChild(wrap);
    if (PAGE_MODE) host.style.cssText = "display:block;height:100%";

    var launcher = null;
    var badge = el("span", { className: "badge", hidden: "" });
    if (!PAGE_MODE) {
      launcher = el("button", {
        className: "launcher",
        type: "button",
        "aria-label": interpolate(gettext("Open chat: %(title)s"), { title: config.title }, true),
        "aria-controls": "cdw-panel",
        "aria-expanded": "false",
      });
      launcher.innerHTML = ICON_CHAT; // a constant, not user text
      launcher.appendChild(badge);
      launcher.addEventListener("click", function () {
        setOpen(!store.open);
      });
    }

    var title = el("h2", { className: "title", text: config.title });
    var dot = el("span", { className: "dot" });
    var statusText = el("span");
    var statusLine = el("p", { className: "status", hidden: "" }, [dot, statusText]);
    var endButton = el("button", { className: "end", type: "button", text: gettext("End chat"), hidden: "" });
    endButton.addEventListener("click", endChat);
    var closeButton = null;
    if (!PAGE_MODE) {
      closeButton = el("button", { className: "close", type: "button", "aria-label": gettext("Close chat") });
      closeButton.innerHTML = ICON_CLOSE;
      closeButton.addEventListener("click", function () {
        setOpen(false);
      });
      // The title is the dialog's name (aria-labelledby), so the button says what it does.
    }
    var head = el("header", { className: "head" }, [
      el("div", { className: "titles" }, [title, statusLine]),
      endButton,
      closeButton,
    ]);
    var bannerEl = el("div", { className: "banner", role: "status", hidden: "" });

    var greeting = el("p", { className: "greeting", text: config.greeting });
    if (!config.greeting) greeting.hidden = true;

    // Pre-chat survey.
    var inputs = {};
    var errors = {};
    var formError = el("p", { className: "err", role: "alert", hidden: "" });
    var startButton = el("button", { className: "primary", type: "submit", text: gettext("Start chat") });
    var form = el("form", { className: "form", novalidate: "" });
    config.fields.forEach(function (f) {
      var id = "cdw-" + f.key;
      var input;
      if (f.type === "select") {
        input = el("select", { id: id, name: f.key }, [el("option", { value: "", text: gettext("Choose…") })]);
        (f.options || []).forEach(function (o) {
          input.appendChild(el("option", { value: o, text: o }));
        });
      } else {
        input = el("input", {
          id: id,
          name: f.key,
          type: f.type === "email" ? "email" : "text",
          autocomplete: f.key === "email" ? "email" : f.key === "name" ? "name" : "off",
          maxlength: "500",
        });
      }
      input.setAttribute("aria-describedby", id + "-err");
      if (f.required) input.setAttribute("aria-required", "true");
      // "*" is for the eye; aria-required says it to a screen reader.
      var label = el("label", { for: id, text: f.label + " " }, [
        f.required
          ? el("span", { className: "opt", text: "*", "aria-hidden": "true" })
          : el("span", { className: "opt", text: gettext("(optional)") }),
      ]);
      var err = el("p", { className: "err", id: id + "-err", hidden: "" });
      inputs[f.key] = input;
      errors[f.key] = err;
      form.appendChild(el("div", { className: "field", "data-field": f.key }, [label, input, err]));
    });
    form.appendChild(formError);
    form.appendChild(startButton);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearErrors();
      var answers = {};
      var ok = true;
      config.fields.forEach(function (f) {
        var value = inputs[f.key].value.trim();
        // The same checks as the server (which has the last word and may refuse more).
        var problem = "";
        if (!value && f.required) problem = interpolate(gettext("%(label)s is required."), { label: f.label }, true);
        else if (value && f.type === "email" && !/^[^\s@]+@[^\s@]+$/.test(value))
          problem = interpolate(gettext("%(label)s: enter a valid email address."), { label: f.label }, true);
        if (problem) {
          showFieldError(f.key, problem);
          ok = false;
        }
        if (value) answers[f.key] = value;
      });
      if (!ok) return;
      startButton.disabled = true;
      startButton.textContent = gettext("Starting…");
      requestStart(answers);
    });

    function clearErrors() {
      for (var k in errors) {
        errors[k].hidden = true;
        errors[k].textContent = "";
        errors[k].parentNode.classList.remove("invalid");
        inputs[k].removeAttribute("aria-invalid");
      }
      formError.hidden = true;
    }

    function showFieldError(key, message) {
      if (errors[key]) {
        errors[key].textContent = message;
        errors[key].hidden = false;
        errors[key].parentNode.classList.add("invalid");
        inputs[key].setAttribute("aria-invalid", "true");
      } else {
        formError.textContent = message;
        formError.hidden = false;
      }
    }

    // Help articles (pre-chat): a search, its results, and one article read in the panel.
    var helpInput = el("input", {
      id: "cdw-help-q",
      type: "search",
      maxlength: "200",
      autocomplete: "off",
      placeholder: gettext("Search our help articles"),
    });
    var helpForm = el("form", { className: "help-search", role: "search" }, [
      el("label", { className: "sr", for: "cdw-help-q", text: gettext("Search our help articles") }),
      helpInput,
      el("button", { type: "submit", text: gettext("Search") }),
    ]);
    var helpHeading = el("p", { className: "help-h", id: "cdw-help-h" });
    var helpList = el("ul", { className: "help-list", "aria-labelledby": "cdw-help-h" });
    var helpNone = el("p", { className: "help-none", role: "status", hidden: "" });
    var helpBox = el("section", { className: "help", "aria-label": gettext("Help articles"), hidden: "" }, [
      helpForm,
      helpHeading,
      helpList,
      helpNone,
    ]);
    var helpTimer = null;
    function helpQuery() {
      clearTimeout(helpTimer);
      var q = helpInput.value.trim().replace(/\s+/g, " ");
      helpSearch(q, function (results) {
        renderHelp(results, q);
      });
    }
    helpInput.addEventListener("input", function () {
      clearTimeout(helpTimer);
      helpTimer = setTimeout(helpQuery, 300);
    });
    helpForm.addEventListener("submit", function (e) {
      e.preventDefault();
      helpQuery();
    });
    function renderHelp(results, q) {
      if (store.token) return; // the chat began meanwhile
      helpBox.hidden = false;
      helpList.textContent = "";
      helpHeading.textContent = q ? gettext("Articles found") : gettext("Popular articles");
      helpHeading.hidden = !results.length;
      helpNone.hidden = results.length > 0;
      helpNone.textContent = results.length ? "" : gettext("No article matches your search. You can still chat with us.");
      results.forEach(function (r) {
        var button = el("button", { className: "help-item", type: "button" }, [
          el("span", { className: "help-title", text: r.title, lang: r.language }),
          r.snippet ? el("span", { className: "help-snippet", text: r.snippet, lang: r.language }) : null,
        ]);
        button.addEventListener("click", function () {
          helpOpen(r);
        });
        helpList.appendChild(el("li", {}, [button]));
      });
    }

    var articleTitle = el("h3", { tabindex: "-1" });
    var articleBody = el("div", { className: "article-body" });
    var articleLink = el("a", { target: "_blank", rel: "noopener", text: gettext("Open in a new tab") });
    var backButton = el("button", { className: "link", type: "button", text: gettext("← Back to articles") });
    var chatButton = el("button", { className: "primary", type: "button", text: gettext("Start a chat") });
    var articlePane = el("article", { className: "article", hidden: "" }, [
      el("div", { className: "article-nav" }, [backButton, articleLink]),
      articleTitle,
      articleBody,
      el("div", { className: "article-foot" }, [el("p", { text: gettext("Still need help?") }), chatButton]),
    ]);
    var beforeArticle = null;
    function closeArticle() {
      articlePane.hidden = true;
      articleBody.textContent = "";
      if (beforeArticle) {
        beforeArticle.forEach(function (pair) {
          pair[0].hidden = pair[1];
        });
        beforeArticle = null;
      }
    }
    backButton.addEventListener("click", function () {
      closeArticle();
      helpInput.focus();
    });
    chatButton.addEventListener("click", function () {
      closeArticle();
      var first = !form.hidden && form.querySelector("input,select");
      (first || textarea).focus();
    });

    // Conversation.
    // role=log on a wrapper: on the <ol> itself it would take away its list semantics.
    var log = el("ol", { className: "log" });
    var logBox = el("div", { role: "log", "aria-live": "polite" }, [log]);
    var typingEl = el("div", { className: "typing", "aria-live": "polite" });
    var notice = el("p", { className: "notice", role: "alert", hidden: "" });
    var textarea = el("textarea", {
      rows: "1",
      placeholder: gettext("Type your message…"),
      "aria-label": gettext("Message"),
      maxlength: String(MAX_BODY),
    });
    var sendButton = el("button", { className: "send", type: "submit", "aria-label": gettext("Send") });
    sendButton.innerHTML = ICON_SEND;
    var composer = el("form", { className: "composer" }, [textarea, sendButton]);
    var newChatButton = el("button", { className: "primary", type: "button", text: gettext("Start a new chat") });
    newChatButton.addEventListener("click", newChat);
    var endedBox = el("div", { className: "endbox", hidden: "" }, [
      el("p", { text: gettext("This chat has ended. Thank you!") }),
      newChatButton,
    ]);

    function grow() {
      textarea.style.height = "auto";
      textarea.style.height = Math.min(textarea.scrollHeight + 2, 140) + "px";
    }
    textarea.addEventListener("input", function () {
      grow();
      typing(textarea.value.trim().length > 0);
      notice.hidden = true;
    });
    textarea.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        composer.requestSubmit ? composer.requestSubmit() : submitMessage(e);
      }
    });
    function submitMessage(e) {
      if (e) e.preventDefault();
      if (sendMessage(textarea.value)) {
        textarea.value = "";
        grow();
      }
      textarea.focus();
    }
    composer.addEventListener("submit", submitMessage);

    var body = el("div", { className: "body" }, [greeting, helpBox, form, logBox, articlePane]);
    title.id = "cdw-title";
    var panel = el("section", { className: "panel", id: "cdw-panel", "aria-labelledby": "cdw-title" }, [
      head,
      bannerEl,
      body,
      typingEl,
      notice,
      composer,
      endedBox,
    ]);
    if (!PAGE_MODE) {
      // Open, the floating panel is a dialog: Tab and Shift+Tab stay inside it, Escape
      // closes it and the focus goes back to the launcher.
      panel.hidden = true;
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-modal", "true");
      panel.addEventListener("keydown", function (e) {
        if (e.key === "Escape") {
          e.preventDefault();
          setOpen(false);
        } else if (e.key === "Tab") {
          var stops = focusable();
          if (!stops.length) return;
          var first = stops[0];
          var last = stops[stops.length - 1];
          var active = root.activeElement || document.activeElement;
          if (e.shiftKey && (active === first || !panel.contains(active))) {
            e.preventDefault();
            last.focus();
          } else if (!e.shiftKey && (active === last || !panel.contains(active))) {
            e.preventDefault();
            first.focus();
          }
        }
      });
    }

    function focusable() {
      var all = panel.querySelectorAll("button,input,select,textarea,a[href],[tabindex]:not([tabindex='-1'])");
      return Array.prototype.filter.call(all, function (node) {
        return !node.disabled && node.getClientRects().length > 0;
      });
    }
    if (launcher) wrap.appendChild(launcher);
    wrap.appendChild(panel);
    mount.appendChild(host);

    function scrollDown() {
      body.scrollTop = body.scrollHeight;
    }

    // HH:MM, 24-hour in every language (docs/glossary.md, "Formats"), in the workspace's zone.
    var clock = null;
    try {
      clock = new Intl.DateTimeFormat(language, {
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
        timeZone: config.time_zone || undefined,
      });
    } catch (e) {
      clock = new Intl.DateTimeFormat(language, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    }

    function time(iso) {
      var d = new Date(iso);
      return isNaN(d) ? "" : clock.format(d);
    }

    var STATE_TEXT = {
      sending: gettext("Sending…"),
      sent: gettext("Sent"),
      read: gettext("Read"),
      failed: gettext("Not sent"),
    };

    return {
      helpShow: renderHelp,
      helpArticle: function (article) {
        if (!beforeArticle) {
          beforeArticle = [greeting, helpBox, form, logBox, composer].map(function (node) {
            var was = node.hidden;
            node.hidden = true;
            return [node, was];
          });
        }
        articleTitle.textContent = article.title;
        articleTitle.lang = article.language || "";
        articleBody.lang = article.language || "";
        // Safe HTML: rendered and sanitized by the server (caredesk.core.markdown).
        articleBody.innerHTML = article.html;
        Array.prototype.forEach.call(articleBody.querySelectorAll("a[href]"), function (a) {
          a.target = "_blank"; // never navigate the customer away from the site's page
          a.rel = "noopener noreferrer nofollow";
        });
        articleLink.href = article.url;
        articlePane.hidden = false;
        body.scrollTop = 0;
        articleTitle.focus();
      },
      helpError: function () {
        helpNone.textContent = gettext("This article could not be opened. Please try again.");
        helpNone.hidden = false;
      },
      showForm: function () {
        closeArticle();
        helpBox.hidden = !help.available;
        form.hidden = false;
        log.hidden = true;
        composer.hidden = true;
        endedBox.hidden = true;
        endButton.hidden = true;
        statusLine.hidden = true;
        startButton.disabled = false;
        startButton.textContent = gettext("Start chat");
        clearErrors();
        typingEl.textContent = "";
      },
      showChat: function (s) {
        closeArticle();
        // Before a chat without a pre-chat form, the composer is the start: articles too.
        helpBox.hidden = !help.available || !!store.token;
        form.hidden = true;
        log.hidden = false;
        var ended = s === "ended";
        composer.hidden = ended;
        endedBox.hidden = !ended;
        endButton.hidden = ended || !store.token;
        statusLine.hidden = !s;
        scrollDown();
      },
      formError: function (field, message) {
        startButton.disabled = false;
        startButton.textContent = gettext("Start chat");
        showFieldError(field.replace(/^pre_chat\.?/, ""), message);
      },
      clearLog: function () {
        log.textContent = "";
      },
      addBubble: function (sender, text, createdAt) {
        var who = sender === "customer" ? "me" : sender === "agent" ? "them" : "system";
        var bubble = el("div", { className: "bubble", text: text });
        var meta = el("div", { className: "meta" });
        var when = el("time", { text: time(createdAt), datetime: createdAt || "" });
        var state = el("span");
        meta.appendChild(when);
        meta.appendChild(state);
        var li = el("li", { className: "msg " + who }, [bubble, meta]);
        log.appendChild(li);
        scrollDown();
        return { li: li, stateEl: state };
      },
      setState: function (entry, state, why) {
        entry.li.setAttribute("data-state", state);
        entry.stateEl.textContent = " · " + STATE_TEXT[state];
        entry.stateEl.className = state === "failed" ? "failed" : "";
        if (why) entry.stateEl.title = why;
      },
      setStatus: function (text, s) {
        statusText.textContent = text;
        dot.className = s ? "dot is-" + s : "dot";
        statusLine.hidden = !text;
        var ended = s === "ended";
        endButton.hidden = ended || !store.token;
        if (!form.hidden) return;
        composer.hidden = ended;
        endedBox.hidden = !ended;
      },
      setTyping: function (text) {
        typingEl.textContent = text;
      },
      setUnread: function (n) {
        badge.textContent = n > 9 ? "9+" : String(n);
        badge.hidden = !n;
      },
      notice: function (text) {
        notice.textContent = text;
        notice.hidden = !text;
      },
      banner: function (text) {
        bannerEl.textContent = text;
        bannerEl.hidden = !text;
      },
      setOpen: function (open) {
        if (PAGE_MODE) return;
        // Closing from inside the panel (close button, Escape, caredesk("close")): the focus
        // goes back to the launcher instead of getting lost with the hidden panel.
        var inside = panel.contains(root.activeElement || document.activeElement);
        panel.hidden = !open;
        wrap.classList.toggle("open", open);
        launcher.setAttribute("aria-expanded", open ? "true" : "false");
        if (open) scrollDown();
        else if (inside) launcher.focus();
      },
      focus: function () {
        if (!form.hidden) {
          var first = form.querySelector("input,select");
          if (first) first.focus();
        } else if (!composer.hidden) textarea.focus();
      },
      unavailable: function () {
        panel.hidden = false;
        body.textContent = "";
        body.appendChild(el("p", { className: "unavailable", text: gettext("The chat is not available right now.") }));
        composer.hidden = true;
        endedBox.hidden = true;
        endButton.hidden = true;
      },
    };
  }

  // --- start --------------------------------------------------------------------------------
  function getJson(url) {
    return fetch(url, { credentials: "omit" })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .catch(function () {
        return null;
      });
  }

  function configUrl() {
    var query = [];
    if (ASKED_LANG) query.push("lang=" + encodeURIComponent(ASKED_LANG));
    if (store.lang) query.push("known=" + encodeURIComponent(store.lang));
    return (
      ORIGIN + "/chat/" + encodeURIComponent(WORKSPACE) + "/config.json" + (query.length ? "?" + query.join("&") : "")
    );
  }

  function boot() {
    getJson(configUrl())
      .then(function (c) {
        if (!c) return [null, null];
        // The words of the language the server chose; without them (offline, blocked), English.
        return getJson(ORIGIN + c.catalogue).then(function (words) {
          return [c, words];
        });
      })
      .then(function (found) {
        var c = found[0];
        var words = found[1];
        var container = PAGE_MODE && document.getElementById(script.getAttribute("data-container") || "");
        if (words && words.catalog) {
          catalogue = words.catalog;
          pluralRule = typeof words.plural === "string" ? words.plural.replace(/\s+/g, " ").trim() : null;
        }
        if (!c) {
          // Turned off or unknown: a floating widget shows nothing; the chat page says so.
          if (container) container.textContent = gettext("The chat is not available right now.");
          return;
        }
        config = c;
        language = c.language || "en";
        // Our own chat page is in the widget's language too.
        if (PAGE_MODE) document.documentElement.lang = language;
        ui = buildUi(container || document.body);
        if (store.token) {
          showChat();
          connect();
        } else {
          showStart();
        }
        ui.setOpen(store.open);
        markRead();
      })
      .catch(function (e) {
        if (window.console) console.error("caredesk: the chat widget could not start", e);
      });
  }

  if (document.body) boot();
  else document.addEventListener("DOMContentLoaded", boot);
})();

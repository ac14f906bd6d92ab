// caredesk Desk: the agent's live screen over the desk websocket (protocol: docs/realtime.md).
// Everything the customer typed is put in the page with textContent, never as HTML.
(function () {
  "use strict";

  const root = document.getElementById("desk");
  if (!root) return;

  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  };
  const TYPING_EVERY_MS = 2000;
  const TYPING_SHOWN_MS = 6000;
  const PING_EVERY_MS = 30000;

  const state = {
    ws: null,
    attempt: 0,
    presence: $("presence").value,
    // What the agent chose. The server sets them offline when their last desk drops (a
    // network cut, a deploy); this desk puts the choice back when it reconnects.
    wanted: null,
    connectedOnce: false,
    capacity: Number($("capacity").textContent) || 0,
    offerTimeout: Number(root.dataset.offerTimeout) || 30,
    tasks: new Map(), // key → task (chat: "c:" + token, call: "call:" + activity)
    order: [], // task keys, in list order
    offers: new Map(), // offer id → {payload, deadline}
    selected: null,
    typingSentAt: 0,
    typingOn: false,
    typingTimer: null,
  };

  // ---- time helpers ------------------------------------------------------------------

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    const mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }
  function since(iso) {
    const t = Date.parse(iso);
    return isNaN(t) ? 0 : (Date.now() - t) / 1000;
  }
  // One time format per language (caredesk/formats, via app.js): "09:48" in every locale.
  function hhmm(iso) {
    return window.caredesk && caredesk.clock ? caredesk.clock(iso) : "";
  }
  function seconds(n) {
    return interpolate(gettext("%(n)s s"), { n: n }, true);
  }
  function caredeskNum(n) {
    return window.caredesk && caredesk.num ? caredesk.num(n) : String(n);
  }
  function waitLevel(seconds) {
    return seconds < 60 ? "ok" : seconds < 180 ? "warn" : "late";
  }

  // ---- socket ------------------------------------------------------------------------

  function send(message) {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) {
      state.ws.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  function setConn(kind, text) {
    const c = $("conn");
    c.dataset.state = kind;
    c.textContent = text;
  }

  function connect() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(proto + "//" + location.host + root.dataset.wsPath);
    state.ws = ws;
    ws.addEventListener("open", () => { state.attempt = 0; setConn("open", gettext("Connected")); });
    ws.addEventListener("message", (m) => {
      let data;
      try { data = JSON.parse(m.data); } catch (err) { return; }
      const handler = handlers[data && data.type];
      if (handler) handler(data);
    });
    ws.addEventListener("close", (ev) => {
      $("presence").disabled = true;
      if (ev.code === 4401 || ev.code === 4403) {
        setConn("closed", gettext("Not allowed to use the desk here. Reload the page after logging in."));
        return;
      }
      setConn("closed", gettext("Connection lost, reconnecting…"));
      const wait = Math.min(15000, 500 * 2 ** state.attempt++);
      setTimeout(connect, wait);
    });
  }
  setInterval(() => send({ type: "ping" }), PING_EVERY_MS);

  // ---- tasks -------------------------------------------------------------------------

  function chatTask(payload) {
    const key = "c:" + payload.conversation;
    let task = state.tasks.get(key);
    if (!task) {
      task = { key, kind: "chat", token: payload.conversation, messages: null, pending: new Map(), ended: false };
      state.tasks.set(key, task);
      state.order.push(key);
    }
    for (const f of ["name", "queue", "unread", "waiting_since", "accepted_at", "wait_seconds",
      "customer_read_up_to", "agent_read_up_to", "pre_chat", "visitor"]) {
      if (payload[f] !== undefined) task[f] = payload[f];
    }
    if (payload.last_message !== undefined) task.last = payload.last_message;
    if (Array.isArray(payload.messages)) {
      task.messages = new Map();
      payload.messages.forEach((m) => task.messages.set(m.id, m));
    }
    return task;
  }

  function taskByToken(token) {
    return state.tasks.get("c:" + token);
  }

  function removeTask(key) {
    state.tasks.delete(key);
    state.order = state.order.filter((k) => k !== key);
    if (state.selected === key) {
      state.selected = null;
      const next = state.order[0];
      if (next) select(next);
      else { showComm(null); loadCustomer(null); } // no ended chat left on the customer panel
    }
    renderTasks();
  }

  // What the agent is busy with: live chats and calls in progress. Routing's capacity counts
  // only chats and offers (AgentProfile.load, docs/adr/0002); a call is shown here because the
  // agent is on it, whatever the telephony system routes.
  function openCount() {
    let n = 0;
    state.tasks.forEach((t) => {
      if (t.kind === "chat" && !t.ended) n++;
      else if (t.kind === "call" && t.event === "answered") n++;
    });
    return n;
  }

  function renderLoad() {
    const load = openCount() + state.offers.size;
    $("load").textContent = caredeskNum(load);
    $("capacity").textContent = caredeskNum(state.capacity);
    $("load").parentElement.classList.toggle("full", state.capacity > 0 && load >= state.capacity);
  }

  function taskWait(task) {
    // How long the customer has been waiting for an answer: since their last message, when
    // that is the last message of the conversation.
    if (task.kind !== "chat" || task.ended || !task.last || task.last.sender !== "customer") return null;
    return since(task.last.created_at);
  }

  function renderTasks() {
    const list = $("tasks");
    list.replaceChildren();
    state.order.forEach((key, i) => {
      const task = state.tasks.get(key);
      const li = el("li", "task");
      li.dataset.key = key;
      li.tabIndex = 0;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", state.selected === key ? "true" : "false");
      if (task.ended) li.classList.add("ended");
      const side = el("span", "t-side");
      if (task.kind === "chat") {
        li.appendChild(el("span", "t-name", task.name || gettext("Visitor")));
        if (task.unread > 0) {
          li.classList.add("unread");
          side.appendChild(el("span", "unread-badge", task.unread));
          side.lastChild.title = interpolate(
            ngettext("%(count)s unread message", "%(count)s unread messages", task.unread),
            { count: task.unread }, true);
        }
        const wait = taskWait(task);
        if (wait !== null) {
          const w = el("span", "wait wait-" + waitLevel(wait), clock(wait));
          w.dataset.since = task.last.created_at;
          w.title = gettext("Waiting for your answer");
          side.appendChild(w);
        }
        li.appendChild(side);
        const meta = el("span", "t-meta");
        meta.appendChild(el("span", "queue", task.queue || ""));
        if (task.ended) meta.appendChild(el("span", "t-ended", pgettext("conversation status", "Ended")));
        li.appendChild(meta);
        const preview = task.last
          ? (task.last.sender === "agent"
            ? interpolate(gettext("You: %(text)s"), { text: task.last.body }, true)
            : task.last.body)
          : gettext("No messages yet");
        li.appendChild(el("span", "t-preview", preview));
      } else {
        li.appendChild(el("span", "t-name", "☎ " + (task.caller || gettext("Unknown caller"))));
        side.appendChild(el("span", "badge", callStateText(task.event)));
        li.appendChild(side);
        const meta = el("span", "t-meta");
        meta.appendChild(el("span", "queue", task.queue || gettext("Call")));
        li.appendChild(meta);
      }
      if (i < 9) li.title = interpolate(gettext("Alt+%(n)s opens it"), { n: i + 1 }, true);
      list.appendChild(li);
    });
    $("task-count").textContent = state.order.length;
    $("no-tasks").hidden = state.order.length > 0;
    $("no-tasks").textContent = state.presence === "available"
      ? gettext("No conversations. New offers appear above.")
      : gettext("No conversations. Set yourself Available to receive offers.");
    renderLoad();
  }

  $("tasks").addEventListener("click", (e) => {
    const li = e.target.closest(".task");
    if (li) select(li.dataset.key);
  });
  $("tasks").addEventListener("keydown", (e) => {
    const li = e.target.closest(".task");
    if (li && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); select(li.dataset.key); }
  });

  // ---- offers ------------------------------------------------------------------------

  function addOffer(payload) {
    state.offers.set(payload.offer, { payload, deadline: Date.now() + state.offerTimeout * 1000 });
    renderOffers();
    renderLoad();
  }
  function dropOffer(id) {
    if (state.offers.delete(id)) { renderOffers(); renderLoad(); }
  }

  function renderOffers() {
    const box = $("offers");
    box.replaceChildren();
    state.offers.forEach(({ payload, deadline }, id) => {
      const pre = payload.pre_chat || {};
      const card = el("div", "offer");
      card.dataset.offer = id;
      const head = el("div", "o-head");
      head.appendChild(el("span", "o-name", (typeof pre.name === "string" && pre.name.trim()) || gettext("Visitor")));
      const left = Math.max(0, (deadline - Date.now()) / 1000);
      const timer = el("span", "o-timer", seconds(Math.ceil(left)));
      timer.dataset.deadline = deadline;
      head.appendChild(timer);
      card.appendChild(head);
      const bits = [payload.queue];
      if (pre.topic && String(pre.topic).toLowerCase() !== String(payload.queue).toLowerCase()) bits.push(String(pre.topic));
      const meta = el("div", "o-meta", bits.join(" · ") + " · " + gettext("waiting") + " ");
      const waited = el("span", "o-wait", clock(since(payload.waiting_since)));
      waited.dataset.since = payload.waiting_since;
      meta.appendChild(waited);
      card.appendChild(meta);
      const bar = el("div", "o-bar");
      const fill = el("i");
      fill.style.width = (100 * left / state.offerTimeout) + "%";
      bar.appendChild(fill);
      card.appendChild(bar);
      const actions = el("div", "o-actions");
      const accept = el("button", "primary small", gettext("Accept"));
      accept.type = "button";
      accept.dataset.accept = id;
      const decline = el("button", "small", gettext("Decline"));
      decline.type = "button";
      decline.dataset.decline = id;
      actions.append(accept, decline);
      card.appendChild(actions);
      box.appendChild(card);
    });
  }

  $("offers").addEventListener("click", (e) => {
    const a = e.target.closest("[data-accept]");
    const d = e.target.closest("[data-decline]");
    if (a) {
      a.disabled = true;
      state.lastAccepted = Number(a.dataset.accept);
      send({ type: "accept", offer: state.lastAccepted });
    }
    if (d) { d.disabled = true; send({ type: "decline", offer: Number(d.dataset.decline) }); }
  });

  // ---- communication screen ----------------------------------------------------------

  // The desk's parts that live in other scripts (desk_articles.js: the article suggestions)
  // follow the open chat through these events on #desk.
  function announce(name, task) {
    const detail = task && task.kind === "chat" ? { token: task.token, ended: !!task.ended } : null;
    root.dispatchEvent(new CustomEvent(name, { detail }));
  }

  function showComm(task) {
    if (!task) announce("desk:chat", null);
    $("comm-empty").hidden = !!task;
    $("chat").hidden = !task || task.kind !== "chat";
    $("call").hidden = !task || task.kind !== "call";
  }

  function select(key) {
    const task = state.tasks.get(key);
    if (!task) return;
    const changed = state.selected !== key;
    if (changed) stopTyping();
    state.selected = key;
    showComm(task);
    if (task.kind === "chat") {
      $("chat-name").textContent = task.name || gettext("Visitor");
      $("chat-queue").textContent = task.queue || "";
      const meta = [];
      if (task.wait_seconds !== null && task.wait_seconds !== undefined) {
        meta.push(interpolate(gettext("waited %(time)s in the queue"), { time: clock(task.wait_seconds) }, true));
      }
      if (task.accepted_at) meta.push(interpolate(gettext("accepted at %(time)s"), { time: hhmm(task.accepted_at) }, true));
      $("chat-meta").textContent = meta.join(" · ");
      if (task.messages === null && task.ended) task.messages = new Map(); // no history to ask for
      if (task.messages === null) {
        $("chat-log").replaceChildren(el("li", "m-system", gettext("Loading…")));
        send({ type: "history", conversation: task.token });
      } else {
        renderChat(task, changed);
      }
      renderEnded(task);
      if (changed) {
        loadCustomer(task);
        announce("desk:chat", task);
        $("reply").value = "";
        $("reply").focus();
      }
      markRead(task);
    } else {
      renderCall(task);
      if (changed) { loadCustomer(task); announce("desk:chat", null); }
    }
    renderTasks();
  }

  function loadCustomer(task) {
    const panel = $("customer-panel");
    // A chat's summary by its token; a call's by its activity (the customer its number found).
    const url = !task ? ""
      : task.kind === "call" ? (root.dataset.callSummaryUrl || "").replace("__activity__", String(task.activity))
      : (root.dataset.summaryUrl || "").replace("__token__", encodeURIComponent(task.token));
    if (task && url && window.htmx) {
      state.summaryLoading = task.key;
      state.summaryStale = false;
      htmx.ajax("GET", url, { target: "#customer-panel", swap: "innerHTML" })
        // Unreachable server (a restart, a network cut): htmx rejects with no reason; the panel
        // keeps what it showed and selecting the task again reloads it.
        .catch(() => { if (state.summaryLoading === task.key) state.summaryLoading = null; });
      return;
    }
    const box = el("div", "panel-placeholder");
    const p = el("p");
    p.appendChild(el("b", "", task ? task.name || gettext("Visitor") : gettext("Customer")));
    box.appendChild(p);
    box.appendChild(el("p", "muted", task ? gettext("The customer summary is not available yet.") :
      gettext("The customer summary, journey and tickets appear here when you select a conversation or a call.")));
    panel.replaceChildren(box);
  }

  // Once the summary is in place (its htmx triggers are live), catch up on what changed while
  // it loaded: visitor details or navigation that arrived meanwhile.
  document.body.addEventListener("htmx:afterSettle", (e) => {
    if (!e.detail.target || e.detail.target.id !== "customer-panel") return;
    const key = state.summaryLoading;
    state.summaryLoading = null;
    if (key && state.summaryStale && state.tasks.get(key)) summaryChanged(state.tasks.get(key));
  });

  document.body.addEventListener("htmx:afterRequest", (e) => {
    if (e.detail.failed && e.detail.target && e.detail.target.id === "customer-panel") state.summaryLoading = null;
  });

  // The customer summary (caredesk.journey) reloads its conversation tabs on this event.
  function summaryChanged(task) {
    if (state.selected !== task.key || !window.htmx) return;
    if (state.summaryLoading === task.key) state.summaryStale = true;
    else htmx.trigger(document.body, "journey-conversation-changed");
  }

  function messageItem(task, m) {
    const li = el("li", "m-" + m.sender);
    li.dataset.id = m.id || "";
    li.appendChild(el("div", "bubble", m.body));
    const meta = el("div", "m-meta", m.created_at ? hhmm(m.created_at) : "");
    if (m.sender === "agent") {
      const st = deliveryState(task, m);
      li.classList.add("state-" + st);
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(el("span", "m-state", {
        sending: gettext("Sending…"), sent: gettext("Sent"), read: gettext("Read"), failed: gettext("Not sent"),
      }[st]));
    }
    li.appendChild(meta);
    return li;
  }

  function deliveryState(task, m) {
    if (m.failed) return "failed";
    if (!m.id) return "sending";
    return task.customer_read_up_to && task.customer_read_up_to >= m.id ? "read" : "sent";
  }

  function renderChat(task, force) {
    const log = $("chat-log");
    if (task.messages === null) return; // its history is on the way; drawn when it arrives
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.replaceChildren();
    const rows = Array.from(task.messages.values()).sort((a, b) => a.id - b.id);
    if (!rows.length && !task.pending.size) log.appendChild(el("li", "m-system", gettext("No messages yet.")));
    rows.forEach((m) => log.appendChild(messageItem(task, m)));
    task.pending.forEach((m) => log.appendChild(messageItem(task, m)));
    if (task.ended) log.appendChild(el("li", "m-system", task.endedText || gettext("This conversation has ended.")));
    if (force || atBottom) log.scrollTop = log.scrollHeight;
  }

  function renderEnded(task) {
    $("chat-ended").hidden = !task.ended;
    $("chat-ended-text").textContent = task.endedText || gettext("This conversation has ended.");
    $("chat-status").hidden = !task.ended;
    $("composer").hidden = !!task.ended;
    $("end-chat").hidden = !!task.ended;
    if (task.ended) { $("typing").hidden = true; announce("desk:chat-ended", task); }
  }

  function selectedTask() {
    return state.selected ? state.tasks.get(state.selected) : null;
  }

  function markRead(task) {
    if (!task || task.kind !== "chat" || !task.messages || document.hidden || !document.hasFocus()) return;
    let last = 0;
    task.messages.forEach((m) => { if (m.sender === "customer" && m.id > last) last = m.id; });
    if (last && (!task.agent_read_up_to || last > task.agent_read_up_to)) {
      if (send({ type: "read", conversation: task.token, up_to: last })) task.agent_read_up_to = last;
    }
    if (task.unread) { task.unread = 0; renderTasks(); }
  }
  window.addEventListener("focus", () => markRead(selectedTask()));
  document.addEventListener("visibilitychange", () => markRead(selectedTask()));

  // Sending: Enter sends, Shift+Enter is a new line.
  function clientId() {
    const rnd = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now();
    return "a-" + rnd;
  }

  function sendReply() {
    const task = selectedTask();
    const body = $("reply").value;
    if (!task || task.kind !== "chat" || task.ended || !body.trim()) return;
    const m = { client_id: clientId(), sender: "agent", body, created_at: new Date().toISOString() };
    task.pending.set(m.client_id, m);
    send({ type: "message", conversation: task.token, client_id: m.client_id, body });
    $("reply").value = "";
    stopTyping();
    task.last = { sender: "agent", body, created_at: m.created_at };
    renderChat(task, true);
    renderTasks();
  }

  $("composer").addEventListener("submit", (e) => { e.preventDefault(); sendReply(); });
  $("reply").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendReply(); }
  });
  $("reply").addEventListener("input", () => {
    const task = selectedTask();
    if (!task || task.kind !== "chat" || task.ended) return;
    if (!$("reply").value) { stopTyping(); return; }
    const now = Date.now();
    if (!state.typingOn || now - state.typingSentAt > TYPING_EVERY_MS) {
      if (send({ type: "typing", conversation: task.token, typing: true })) {
        state.typingOn = true;
        state.typingSentAt = now;
      }
    }
  });
  function stopTyping() {
    const task = selectedTask();
    if (state.typingOn && task && task.kind === "chat") send({ type: "typing", conversation: task.token, typing: false });
    state.typingOn = false;
  }

  $("end-chat").addEventListener("click", () => {
    const task = selectedTask();
    if (task && task.kind === "chat" && !task.ended) {
      $("end-chat").disabled = true;
      send({ type: "end", conversation: task.token });
    }
  });
  $("close-task").addEventListener("click", () => { if (state.selected) removeTask(state.selected); });
  $("close-call").addEventListener("click", () => { if (state.selected) removeTask(state.selected); });

  function showTyping(task, on) {
    clearTimeout(state.typingTimer);
    const visible = on && state.selected === task.key && !task.ended;
    $("typing").hidden = !visible;
    $("typing-text").textContent = interpolate(gettext("%(name)s is typing…"),
      { name: task.name || gettext("The customer") }, true);
    if (visible) state.typingTimer = setTimeout(() => { $("typing").hidden = true; }, TYPING_SHOWN_MS);
  }

  // ---- calls -------------------------------------------------------------------------

  function renderCall(task) {
    $("call-caller").textContent = task.caller || gettext("Unknown caller");
    $("call-caller-2").textContent = task.caller || "—";
    $("call-queue").textContent = task.queue || "—";
    $("call-state").textContent = callStateText(task.event);
    $("call-state-2").textContent = callStateText(task.event);
    $("close-call").hidden = task.event !== "ended";
    $("call-duration").textContent = clock(callSeconds(task));
  }
  function callStateText(event) {
    return {
      ringing: pgettext("call", "Ringing"), answered: pgettext("call", "In progress"), ended: pgettext("call", "Ended"),
    }[event] || event;
  }
  function callSeconds(task) {
    if (!task.answeredAt) return 0;
    return ((task.endedAt || Date.now()) - task.answeredAt) / 1000;
  }

  // ---- messages from the server ------------------------------------------------------

  const handlers = {
    hello(d) {
      state.presence = d.presence;
      state.capacity = d.capacity;
      if (state.connectedOnce && state.wanted && state.wanted !== d.presence) {
        send({ type: "presence", presence: state.wanted });
      } else {
        state.wanted = d.presence;
      }
      state.connectedOnce = true;
      if (d.offer_timeout) state.offerTimeout = d.offer_timeout;
      setPresence(d.presence);
      $("presence").disabled = false;
      // The server's list is the truth after a reconnect: a chat missing from it ended while
      // this desk was away (it stays, marked ended, until the agent closes it); the messages
      // of the others are fetched again (history) when shown.
      const live = new Set((d.tasks || []).map((t) => "c:" + t.conversation));
      state.tasks.forEach((t, key) => {
        if (t.kind === "chat" && !live.has(key) && !t.ended) {
          t.ended = true;
          t.endedText = gettext("This conversation ended while the desk was disconnected.");
          t.pending.forEach((m) => { m.failed = true; });
          summaryChanged(t); // its customer panel says it ended
        }
      });
      (d.tasks || []).forEach((t) => {
        chatTask(t).messages = null;
      });
      // Calls in progress (a reload during a call): shown, and counted in the load.
      (d.calls || []).forEach((c) => handlers.call(c, true));
      state.offers.clear();
      (d.offers || []).forEach(addOffer);
      renderOffers();
      renderTasks();
      // Messages sent but never acknowledged are sent again with the same client_id.
      state.tasks.forEach((task) => {
        if (task.kind !== "chat") return;
        task.pending.forEach((m) => {
          if (!m.failed) send({ type: "message", conversation: task.token, client_id: m.client_id, body: m.body });
        });
      });
      const sel = selectedTask();
      if (sel) select(sel.key);
      else if (state.order.length) select(state.order[0]);
    },
    presence(d) { state.wanted = d.presence; setPresence(d.presence); },
    offer(d) { addOffer(d); },
    offer_expired(d) { dropOffer(d.offer); },
    declined(d) { dropOffer(d.offer); },
    accepted(d) {
      dropOffer(d.offer);
      const task = chatTask(d);
      renderTasks();
      // The offer this desk accepted opens at once; one accepted in another tab of mine only
      // when nothing is open here.
      if (!state.selected || d.offer === state.lastAccepted) select(task.key);
    },
    message(d) {
      const task = taskByToken(d.conversation);
      if (!task) return;
      if (task.messages) task.messages.set(d.id, d);
      task.last = { id: d.id, sender: d.sender, body: d.body, created_at: d.created_at };
      if (d.sender === "customer") {
        task.unread = (task.unread || 0) + 1;
        showTyping(task, false);
      }
      if (state.selected === task.key && task.messages) {
        renderChat(task);
        markRead(task);
      }
      if (state.selected === task.key && d.sender === "customer") announce("desk:customer-message", task);
      renderTasks();
    },
    ack(d) {
      const task = taskByToken(d.conversation);
      if (!task) return;
      const m = task.pending.get(d.client_id);
      if (!m) return;
      task.pending.delete(d.client_id);
      m.id = d.id;
      if (task.messages) task.messages.set(d.id, m);
      if (!task.last || !task.last.id || task.last.id <= d.id) {
        task.last = { id: d.id, sender: "agent", body: m.body, created_at: m.created_at };
      }
      if (state.selected === task.key) renderChat(task);
      renderTasks();
    },
    history(d) {
      const task = taskByToken(d.conversation);
      if (!task) return;
      task.messages = new Map();
      d.messages.forEach((m) => task.messages.set(m.id, m));
      if (d.messages.length) task.last = d.messages[d.messages.length - 1];
      renderTasks();
      if (d.customer_read_up_to !== undefined) task.customer_read_up_to = d.customer_read_up_to;
      if (d.agent_read_up_to !== undefined) task.agent_read_up_to = d.agent_read_up_to;
      if (state.selected === task.key) { renderChat(task, true); markRead(task); }
    },
    typing(d) {
      const task = taskByToken(d.conversation);
      if (task && d.sender === "customer") showTyping(task, d.typing);
    },
    read(d) {
      const task = taskByToken(d.conversation);
      if (!task) return;
      if (d.reader === "customer") {
        task.customer_read_up_to = d.up_to;
        if (state.selected === task.key && task.messages) renderChat(task);
      } else {
        task.agent_read_up_to = d.up_to; // read in another tab of mine
        task.unread = 0;
        renderTasks();
      }
    },
    ended(d) {
      const task = taskByToken(d.conversation);
      if (!task) return;
      $("end-chat").disabled = false;
      task.pending.forEach((m) => { m.failed = true; });
      if (d.by === "customer") {
        task.ended = true;
        task.endedText = task.name
          ? interpolate(gettext("%(name)s ended the conversation."), { name: task.name }, true)
          : gettext("The customer ended the conversation.");
        if (state.selected === task.key) {
          renderChat(task);
          renderEnded(task);
          // The customer panel says "Ended" now, not "In progress" (its conversation part reloads).
          summaryChanged(task);
          $("close-task").focus();
        }
        renderTasks();
      } else {
        removeTask(task.key);
      }
    },
    visitor(d) {
      const task = taskByToken(d.conversation);
      if (!task) return;
      task.visitor = d.visitor;
      summaryChanged(task);
    },
    navigation(d) {
      const task = taskByToken(d.conversation);
      if (task) summaryChanged(task);
    },
    call(d, quiet) {
      const key = "call:" + d.activity;
      let task = state.tasks.get(key);
      if (!task) {
        task = { key, kind: "call", activity: d.activity };
        state.tasks.set(key, task);
        state.order.unshift(key);
      }
      const changed = task.event !== undefined && task.event !== d.event;
      Object.assign(task, { caller: d.caller, queue: d.queue, contact: d.contact, event: d.event });
      if (d.event === "answered" && !task.answeredAt) {
        task.answeredAt = (d.started_at && Date.parse(d.started_at)) || Date.now();
      }
      if (d.event === "ended" && !task.endedAt) task.endedAt = Date.now();
      // A ringing call opens unless the agent is in the middle of a live chat.
      const current = selectedTask();
      const busyChat = current && current.kind === "chat" && !current.ended;
      if (state.selected === key) {
        renderCall(task);
        // The call details on the customer panel (answered at, wait) follow the call.
        if (changed && !quiet) loadCustomer(task);
      } else if (!quiet && (!current || (d.event === "ringing" && !busyChat))) select(key);
      renderTasks();
    },
    error(d) {
      // A refused action: show it briefly in the connection slot, re-enable buttons.
      $("end-chat").disabled = false;
      renderOffers();
      setConn("closed", d.message || gettext("Refused."));
      setTimeout(() => { if (state.ws && state.ws.readyState === WebSocket.OPEN) setConn("open", gettext("Connected")); }, 4000);
    },
    pong() {},
  };

  // ---- presence ----------------------------------------------------------------------

  function setPresence(p) {
    state.presence = p;
    $("presence").value = p;
    $("presence-dot").className = "dot p-" + p;
    renderTasks();
  }
  $("presence").addEventListener("change", (e) => {
    state.wanted = e.target.value;
    if (!send({ type: "presence", presence: e.target.value })) setPresence(state.presence);
  });

  // ---- keyboard ----------------------------------------------------------------------

  document.addEventListener("keydown", (e) => {
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    if (key === "arrowdown" || key === "arrowup") {
      if (!state.order.length) return;
      const i = state.order.indexOf(state.selected);
      const step = key === "arrowdown" ? 1 : -1;
      select(state.order[(i + step + state.order.length) % state.order.length]);
      e.preventDefault();
    } else if (/^[1-9]$/.test(key) && state.order[Number(key) - 1]) {
      select(state.order[Number(key) - 1]);
      e.preventDefault();
    } else if (key === "a" || key === "x") {
      // Alt+X, not Alt+D: Chrome keeps Alt+D for its address bar.
      const first = state.offers.keys().next();
      if (first.done) return;
      if (key === "a") state.lastAccepted = first.value;
      send({ type: key === "a" ? "accept" : "decline", offer: first.value });
      e.preventDefault();
    }
  });

  // ---- ticking clocks (offers, waits, call duration) ---------------------------------

  setInterval(() => {
    document.querySelectorAll(".o-timer").forEach((t) => {
      const left = Math.max(0, (Number(t.dataset.deadline) - Date.now()) / 1000);
      t.textContent = seconds(Math.ceil(left));
      const fill = t.closest(".offer").querySelector(".o-bar i");
      if (fill) fill.style.width = (100 * left / state.offerTimeout) + "%";
    });
    document.querySelectorAll(".o-wait").forEach((w) => { w.textContent = clock(since(w.dataset.since)); });
    document.querySelectorAll(".task .wait").forEach((w) => {
      const s = since(w.dataset.since);
      w.textContent = clock(s);
      w.className = "wait wait-" + waitLevel(s);
    });
    const task = selectedTask();
    if (task && task.kind === "call") $("call-duration").textContent = clock(callSeconds(task));
  }, 1000);

  connect();
})();

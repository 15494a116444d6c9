"""The two small scripts of the room, served as routes (the CSP allows no inline script).

Every piece of session text is put on the page with textContent, never innerHTML.
"""

from __future__ import annotations

_COMMON = r"""
"use strict";
var S = JSON.parse(document.getElementById("gw-strings").textContent);
function $(id) { return document.getElementById(id); }
function fmt(text, values) {
  return text.replace(/\{(\w+)\}/g, function (m, k) {
    return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
  });
}
function el(tag, text, cls) {
  var node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}
function setText(id, text) {
  var node = $(id);
  if (node.textContent !== text) node.textContent = text;
}
"""

APP_JS = _COMMON + r"""
var PENDING_KEY = "gw-room-pending";
var revision = -1, kindsShown = "", flushing = false, retryTimer = null, dotsTotal = 0;
var rows = {};

function say(text, isError) {
  var status = $("status");
  status.className = "status" + (isError ? " error" : "");
  status.textContent = "";
  // a fresh text node, so a screen reader announces the same message again
  setTimeout(function () { status.textContent = text; }, 30);
}

function newClientId() {
  var c = window.crypto;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  var bytes = new Uint8Array(16);
  if (c && c.getRandomValues) c.getRandomValues(bytes);
  else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.prototype.map.call(bytes, function (b) {
    return (b + 256).toString(16).slice(1);
  }).join("");
}

function loadPending() {
  try { return JSON.parse(localStorage.getItem(PENDING_KEY) || "[]") || []; }
  catch (e) { return []; }
}
function savePending(list) {
  try { localStorage.setItem(PENDING_KEY, JSON.stringify(list)); } catch (e) { /* full */ }
  setText("pending", list.length ? fmt(S.pending, {count: list.length}) : "");
}
function dropPending(clientId) {
  savePending(loadPending().filter(function (n) { return n.client_id !== clientId; }));
}

function showRejoin() { $("rejoin").hidden = false; }

function api(method, path, body) {
  var options = {method: method, credentials: "same-origin", headers: {}};
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  return fetch(path, options).then(function (response) {
    return response.json().catch(function () { return {}; }).then(function (data) {
      return {status: response.status, data: data};
    });
  });
}

function scheduleRetry() {
  if (retryTimer === null) retryTimer = setTimeout(function () {
    retryTimer = null; flush();
  }, 4000);
}

// Send what waits, oldest first. A note leaves the list only when the laptop answered
// for it; a dropped connection leaves it to be sent again with the same client id.
function flush() {
  if (flushing) return;
  var list = loadPending();
  savePending(list);
  if (!list.length) return;
  flushing = true;
  var note = list[0];
  api("POST", "/api/notes", note).then(function (r) {
    flushing = false;
    if (r.status === 200) {
      dropPending(note.client_id);
      var status = r.data.status === "duplicate" ? r.data.first.status : r.data.status;
      say(status === "queued" ? S.queued : S.saved, false);
      flush();
    } else if (r.status === 401) {
      say(r.data.message || S.rejoin, true); showRejoin();
    } else if (r.status === 429 || r.status >= 500) {
      say(r.data.message || S.server_error, true); scheduleRetry();
    } else {
      // refused for good (too long, a choice that is gone): give the text back
      dropPending(note.client_id);
      var box = $("note-text");
      if (!box.value) box.value = note.text;
      say(r.data.message || S.refused, true);
      box.focus();
      flush();
    }
  }, function () {
    flushing = false;
    say(S.offline, true);
    scheduleRetry();
  });
}

function chosen(name) {
  var input = document.querySelector('input[name="' + name + '"]:checked');
  return input ? input.value : "";
}

$("note-form").addEventListener("submit", function (event) {
  event.preventDefault();
  var box = $("note-text"), text = box.value;
  if (!text.trim()) { say(S.empty, true); box.focus(); return; }
  if (text.length > S.max_note) {
    say(fmt(S.too_long, {limit: S.max_note, count: text.length}), true); box.focus(); return;
  }
  var consent = $("consent").checked, name = $("name").value.trim();
  var note = {client_id: newClientId(), text: text, kind: chosen("kind"),
              lens: chosen("lens"), consent: consent, name: consent && name ? name : null};
  var list = loadPending();
  list.push(note);
  savePending(list);
  box.value = "";
  updateCount();
  say(S.sending, false);
  flush();
});

function updateCount() {
  var n = $("note-text").value.length;
  setText("note-count", n ? n + " / " + S.max_note : "");
}
$("note-text").addEventListener("input", updateCount);

function renderKinds(kinds) {
  var key = kinds.join(",");
  if (key === kindsShown) return;
  var before = chosen("kind");
  kindsShown = key;
  var box = $("kind-choices");
  box.textContent = "";
  $("kinds").hidden = kinds.length === 0;
  var values = [""].concat(kinds);
  values.forEach(function (kind) {
    var row = el("div", null, "choice");
    var input = document.createElement("input");
    input.type = "radio"; input.name = "kind"; input.value = kind;
    input.id = "kind-" + (kind || "none");
    input.checked = kind === before || (kind === "" && values.indexOf(before) < 0);
    var label = el("label", kind ? (S.kinds[kind] || kind) : S.kind_none);
    label.htmlFor = input.id;
    row.appendChild(input); row.appendChild(label);
    box.appendChild(row);
  });
}

function noteMeta(note) {
  var parts = [];
  if (note.kind) parts.push(S.kinds[note.kind] || note.kind);
  if (note.lens) parts.push(S.lenses[note.lens] || note.lens);
  if (note.name) parts.push(fmt(S.by, {name: note.name}));
  return parts.join(" · ");
}

function vote(noteId, add) {
  api("POST", add ? "/api/vote" : "/api/unvote", {note_id: noteId}).then(function (r) {
    if (r.status === 401) { say(r.data.message || S.rejoin, true); showRejoin(); return; }
    if (r.status !== 200) { say(r.data.message || S.server_error, true); return; }
    say(r.data.ok ? (add ? S.dot_added : S.dot_removed) : r.data.message, !r.data.ok);
    poll(true);
  }, function () { say(S.offline, true); });
}

function renderVoting(state) {
  $("voting").hidden = !state.voting_open;
  if (!state.voting_open) return;
  dotsTotal = state.dots;
  setText("dots-left", fmt(S.dots_left, {count: state.dots_left, total: state.dots}));
  var list = $("vote-list"), seen = {};
  // rows are kept by note id, so a button that has the focus stays where it is
  state.notes.forEach(function (note) {
    seen[note.id] = true;
    var row = rows[note.id];
    if (!row) {
      row = {li: el("li"), text: el("p", "", "pre"), meta: el("p", "", "meta"),
             count: el("p", "", "meta"), buttons: el("div", null, "buttons")};
      row.text.id = "note-" + note.id;
      row.add = el("button", S.add_dot); row.add.type = "button";
      row.remove = el("button", S.remove_dot, "quiet"); row.remove.type = "button";
      [row.add, row.remove].forEach(function (b) {
        b.setAttribute("aria-describedby", row.text.id);
      });
      row.add.addEventListener("click", function () { vote(note.id, true); });
      row.remove.addEventListener("click", function () { vote(note.id, false); });
      row.buttons.appendChild(row.add); row.buttons.appendChild(row.remove);
      [row.text, row.meta, row.count, row.buttons].forEach(function (n) { row.li.appendChild(n); });
      rows[note.id] = row;
    }
    list.appendChild(row.li);  // moves it into the given order
    if (row.text.textContent !== note.text) row.text.textContent = note.text;
    row.meta.textContent = noteMeta(note);
    row.meta.hidden = !row.meta.textContent;
    var mine = (state.mine || {})[note.id] || 0;
    row.count.textContent = fmt(S.votes, {count: note.votes}) +
      (mine ? " · " + fmt(S.mine, {count: mine}) : "");
    row.add.disabled = state.dots_left <= 0;
    row.remove.disabled = mine <= 0;
  });
  Object.keys(rows).forEach(function (id) {
    if (!seen[id]) { rows[id].li.remove(); delete rows[id]; }
  });
}

function render(state) {
  revision = state.revision;
  document.documentElement.lang = state.lang;
  setText("session-title", state.session_title || S.page_title);
  document.title = state.session_title || S.page_title;
  setText("round-title", state.round_title || S.no_round);
  setText("round-prompt", state.round_prompt || "");
  renderKinds(state.kinds || []);
  renderVoting(state);
}

function poll(now) {
  var since = now ? -1 : revision;
  api("GET", "/api/state?since=" + since).then(function (r) {
    if (r.status === 200) {
      $("rejoin").hidden = true;
      if (!r.data.unchanged) render(r.data);
    } else if (r.status === 401) { showRejoin(); }
  }, function () { /* offline: the next poll tries again */ });
}

window.addEventListener("online", flush);
poll(true);
flush();
setInterval(function () { poll(false); flush(); }, 3000);
"""

ROOM_JS = _COMMON + r"""
var last = "";

function clock(seconds) {
  var s = Math.abs(seconds), m = Math.floor(s / 60);
  return m + ":" + String(s % 60).padStart(2, "0");
}

function render(view) {
  setText("session-title", view.session_title || "");
  document.title = view.session_title || S.projector_title;
  setText("round-title", view.round_title || "");
  setText("round-prompt", view.round_prompt || "");
  var timer = $("timer");
  if (typeof view.timer_seconds === "number") {
    timer.hidden = false;
    var over = view.timer_seconds < 0;
    timer.className = "timer" + (over ? " over" : "");
    setText("timer", (over ? S.over : S.time_left) + " " + clock(view.timer_seconds));
  } else { timer.hidden = true; }
  var parts = view.parts || [];
  $("situation").hidden = !(view.situation_title || parts.length);
  setText("situation-title", view.situation_title || "");
  var box = $("parts");
  box.textContent = "";
  parts.forEach(function (part) {
    if (part.heading) box.appendChild(el("h3", part.heading));
    if (part.text) box.appendChild(el("p", part.text, "pre"));
  });
  var notes = view.notes || [], list = $("note-list");
  $("notes").hidden = notes.length === 0;
  list.textContent = "";
  notes.forEach(function (note) {
    var li = el("li");
    li.appendChild(el("p", note.text, "pre"));
    var meta = [];
    if (note.kind) meta.push(S.kinds[note.kind] || note.kind);
    if (note.lens) meta.push(S.lenses[note.lens] || note.lens);
    if (note.name) meta.push(fmt(S.by, {name: note.name}));
    if (note.votes) meta.push(fmt(S.votes, {count: note.votes}));
    if (meta.length) li.appendChild(el("p", meta.join(" · "), "meta"));
    list.appendChild(li);
  });
}

function poll() {
  fetch("/api/projector", {credentials: "same-origin"}).then(function (response) {
    if (response.status === 401) { $("rejoin").hidden = false; return null; }
    return response.ok ? response.text() : null;
  }).then(function (text) {
    if (text === null) return;
    $("rejoin").hidden = true;
    setText("status", "");
    if (text !== last) { last = text; render(JSON.parse(text)); }
  }, function () { /* the projector waits for the next poll */ });
}

poll();
setInterval(poll, 1000);
"""

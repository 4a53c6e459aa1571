// CanaryLLM console. Plain script, no build step: every element is built with DOM calls and text is set with
// textContent, never innerHTML, so nothing a key name or a model id holds can run as markup (the CSP forbids inline
// script as a second fence). The session cookie is HttpOnly: this script never sees it; it sends the session's
// CSRF token in X-CSRF-Token on every /admin call, which the gateway checks together with the cookie.
"use strict";

const state = { csrf: null, keys: [], timer: null, editing: null };

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k.startsWith("data-")) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
  return e;
}

// ---- session -------------------------------------------------------------------------------------------------

async function start() {
  $("signin-form").addEventListener("submit", signIn);
  $("signout").addEventListener("click", signOut);
  window.addEventListener("hashchange", show);
  const r = await fetch("/console/session", { credentials: "same-origin" });
  if (r.ok) signedIn(await r.json()); else showSignIn("");
}

async function signIn(ev) {
  ev.preventDefault();
  const r = await fetch("/console/login", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ key: $("master-key").value }),
  });
  $("master-key").value = "";
  if (r.ok) signedIn(await r.json()); else showSignIn(await errorText(r));
}

async function signOut() {
  await fetch("/console/logout", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": state.csrf } });
  state.csrf = null;
  showSignIn("Signed out.");
}

function signedIn(session) {
  state.csrf = session.csrf;
  $("session-expiry").textContent = "session until " + session.expires_at.replace("T", " ").slice(0, 16) + " UTC (idle "
    + Math.round(session.idle_seconds / 60) + " min)";
  $("signin").hidden = true;
  $("app").hidden = false;
  show();
}

function showSignIn(message) {
  clearInterval(state.timer);
  $("app").hidden = true;
  $("signin").hidden = false;
  $("signin-error").textContent = message;
  $("master-key").focus();
}

async function errorText(r) {
  try { return (await r.json()).error.message; } catch (e) { return r.status + " " + r.statusText; }
}

/** An /admin call with the session; a 401 (expired session) goes back to sign-in. */
async function admin(method, path, body) {
  const headers = { "X-CSRF-Token": state.csrf };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const r = await fetch(path, { method, credentials: "same-origin", headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status === 401) { showSignIn("Your session ended; sign in again."); throw new Error("signed out"); }
  if (!r.ok) { const m = await errorText(r); $("app-error").textContent = m; throw new Error(m); }
  $("app-error").textContent = "";
  return r.json();
}

// ---- navigation ----------------------------------------------------------------------------------------------

const pages = { keys: loadKeys, usage: loadUsage, providers: loadProviders, log: loadLog, playground: preparePlayground };

function show() {
  const name = (location.hash || "#keys").slice(1);
  const page = pages[name] ? name : "keys";
  for (const s of document.querySelectorAll(".page")) s.hidden = s.id !== "page-" + page;
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.page === page);
  clearInterval(state.timer);
  pages[page]().catch(() => {});
}

// ---- keys ----------------------------------------------------------------------------------------------------

function num(id) { const v = $(id).value.trim(); return v === "" ? null : Number(v); }

function describeLimits(k) {
  const parts = [];
  if (k.rpm != null) parts.push(k.rpm + " req/min");
  if (k.tpm != null) parts.push(k.tpm + " tok/min");
  if (k.budget) parts.push("$" + k.budget.amount + " " + k.budget.period);
  if (k.models) parts.push("models " + k.models.join(", "));
  return parts.length ? parts.join(" · ") : "none";
}

async function loadKeys() {
  if (!$("key-create").dataset.bound) {
    $("key-create").dataset.bound = "1";
    $("key-create").addEventListener("submit", createKey);
    $("new-key-done").addEventListener("click", () => { $("new-key").hidden = true; $("new-key-secret").textContent = ""; });
    $("limits-form").addEventListener("submit", saveLimits);
    $("limits-cancel").addEventListener("click", () => { $("limits-form").hidden = true; });
  }
  const list = await admin("GET", "/admin/keys");
  state.keys = list.data;
  const body = $("keys-table").tBodies[0];
  body.replaceChildren(...list.data.map((k) => {
    const actions = el("td");
    if (k.revoked_at == null) {
      actions.append(el("button", { type: "button", class: "quiet", "data-action": "limits", onclick: () => editLimits(k) }, "Limits"), " ",
        el("button", { type: "button", class: "danger", "data-action": "revoke", onclick: () => revoke(k) }, "Revoke"));
    }
    return el("tr", { class: k.revoked_at ? "revoked" : "", "data-key-id": k.id },
      el("td", {}, k.name), el("td", {}, el("code", {}, k.id)), el("td", {}, el("code", {}, k.prefix)),
      el("td", {}, k.created_at.slice(0, 16).replace("T", " ")), el("td", { class: "limits" }, describeLimits(k)),
      el("td", { class: "key-state" }, k.revoked_at ? "revoked" : k.active ? "active" : "expired"), actions);
  }));
}

async function createKey(ev) {
  ev.preventDefault();
  const body = { name: $("new-key-name").value.trim() };
  if (num("new-key-rpm") != null) body.rpm = num("new-key-rpm");
  if (num("new-key-tpm") != null) body.tpm = num("new-key-tpm");
  if (num("new-key-budget") != null) body.budget = { amount: $("new-key-budget").value.trim(), period: "monthly" };
  const created = await admin("POST", "/admin/keys", body);
  $("key-create").reset();
  $("new-key-secret").textContent = created.key;   // shown here once; the gateway keeps only its hash
  $("new-key").hidden = false;
  await loadKeys();
}

function editLimits(k) {
  state.editing = k;
  $("limits-name").textContent = k.name;
  $("limit-rpm").value = k.rpm ?? "";
  $("limit-tpm").value = k.tpm ?? "";
  $("limit-budget").value = k.budget ? k.budget.amount : "";
  $("limit-period").value = k.budget ? k.budget.period : "monthly";
  $("limits-form").hidden = false;
}

async function saveLimits(ev) {
  ev.preventDefault();
  const budget = $("limit-budget").value.trim();
  await admin("PATCH", "/admin/keys/" + encodeURIComponent(state.editing.id), {
    rpm: num("limit-rpm"), tpm: num("limit-tpm"),
    budget: budget === "" ? null : { amount: budget, period: $("limit-period").value },
  });
  $("limits-form").hidden = true;
  await loadKeys();
}

async function revoke(k) {
  if (!confirm("Revoke " + k.name + "? Calls with it are refused at once.")) return;
  await admin("DELETE", "/admin/keys/" + encodeURIComponent(k.id));
  await loadKeys();
}

// ---- usage ---------------------------------------------------------------------------------------------------

/** A horizontal bar chart as SVG: one bar per label, scaled to the largest value, the value written beside it. */
function barChart(items, value, format) {
  const NS = "http://www.w3.org/2000/svg";
  const rowH = 22, labelW = 150, barW = 220, width = labelW + barW + 90;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${Math.max(1, items.length) * rowH + 4}`);
  svg.setAttribute("role", "img");
  const max = Math.max(0, ...items.map(value));
  items.forEach((it, i) => {
    const y = i * rowH + 2, v = value(it);
    const label = document.createElementNS(NS, "text");
    label.setAttribute("x", 0); label.setAttribute("y", y + 15);
    label.textContent = it.label.length > 22 ? it.label.slice(0, 21) + "…" : it.label;
    const bar = document.createElementNS(NS, "rect");
    bar.setAttribute("class", "bar"); bar.setAttribute("x", labelW); bar.setAttribute("y", y + 3);
    bar.setAttribute("height", rowH - 6); bar.setAttribute("width", max > 0 ? Math.max(1, (v / max) * barW) : 1);
    const text = document.createElementNS(NS, "text");
    text.setAttribute("x", labelW + barW + 6); text.setAttribute("y", y + 15);
    text.textContent = format(v);
    svg.append(label, bar, text);
  });
  if (!items.length) {
    const t = document.createElementNS(NS, "text");
    t.setAttribute("x", 0); t.setAttribute("y", 16); t.textContent = "no usage yet";
    svg.append(t);
  }
  return svg;
}

function usageTable(table, first, rows) {
  const cols = ["requests", "input_tokens", "output_tokens", "cost"];
  table.tHead.replaceChildren(el("tr", {}, el("th", {}, first), ...cols.map((c) => el("th", { class: "num" }, c.replace("_", " ")))));
  table.tBodies[0].replaceChildren(...rows.map((r) => el("tr", {}, el("td", {}, r.label),
    ...cols.map((c) => el("td", { class: "num" }, c === "cost" ? (r.cost ?? "—") : r[c])))));
}

async function loadUsage() {
  const [day, model, key, keys] = await Promise.all(["day", "model", "key"].map((g) => admin("GET", "/admin/usage/summary?group_by=" + g))
    .concat(admin("GET", "/admin/keys")));
  const names = Object.fromEntries(keys.data.map((k) => [k.id, k.name]));
  const dollars = (v) => "$" + (v < 0.01 && v > 0 ? v.toPrecision(2) : v.toFixed(2));
  const byDay = day.data.map((r) => ({ ...r, label: r.day }));
  const byModel = model.data.map((r) => ({ ...r, label: r.model }));
  const byKey = key.data.map((r) => ({ ...r, label: (names[r.key_id] || "?") + " (" + r.key_id + ")" }));
  const cost = (r) => Number(r.cost || 0);
  $("chart-day").replaceChildren(barChart(byDay, cost, dollars));
  $("chart-model").replaceChildren(barChart(byModel, cost, dollars));
  $("chart-key").replaceChildren(barChart(byKey, (r) => r.requests, String));
  usageTable($("usage-day"), "day (UTC)", byDay);
  usageTable($("usage-model"), "model", byModel);
  usageTable($("usage-key"), "key", byKey);
  const t = day.totals;
  $("usage-totals").textContent = `${t.requests} requests, ${t.input_tokens} input and ${t.output_tokens} output tokens, $${t.cost} billed`;
}

// ---- providers -----------------------------------------------------------------------------------------------

async function loadProviders() {
  if (!$("providers-refresh").dataset.bound) {
    $("providers-refresh").dataset.bound = "1";
    $("providers-refresh").addEventListener("click", () => refreshProviders().catch(() => {}));
  }
  await refreshProviders();
  state.timer = setInterval(() => refreshProviders().catch(() => clearInterval(state.timer)), 5000);
}

async function refreshProviders() {
  const list = await admin("GET", "/admin/deployments");
  const ms = (v) => (v == null ? "—" : v + " ms");
  $("deployments-table").tBodies[0].replaceChildren(...list.data.map((d) => el("tr", { "data-deployment": d.name },
    el("td", {}, d.name), el("td", {}, d.provider), el("td", {}, d.wire),
    el("td", { class: "breaker state-" + (d.breaker || "none") }, d.breaker || "none"),
    el("td", { class: "num" }, d.breaker_failure_rate == null ? "—" : d.breaker_failure_rate.toFixed(1)),
    el("td", { class: "num" }, d.calls),
    el("td", { class: "num" }, d.error_rate == null ? "—" : (d.error_rate * 100).toFixed(1) + " %"),
    el("td", { class: "num" }, d.in_flight),
    el("td", {}, d.cooling ? "cooling " + Math.ceil(d.cooling_ms_left / 1000) + " s" : "no"),
    el("td", { class: "num" }, ms(d.first_byte_ewma_ms)), el("td", { class: "num" }, ms(d.first_byte_mean_ms)),
    el("td", { class: "muted" }, d.models.join(", ")))));
}

// ---- request log ---------------------------------------------------------------------------------------------

async function loadLog() {
  if (!$("log-refresh").dataset.bound) {
    $("log-refresh").dataset.bound = "1";
    $("log-refresh").addEventListener("click", () => loadLog().catch(() => {}));
  }
  const [rows, keys] = await Promise.all([admin("GET", "/admin/usage?limit=200"), admin("GET", "/admin/keys")]);
  const names = Object.fromEntries(keys.data.map((k) => [k.id, k.name]));
  $("log-table").tBodies[0].replaceChildren(...rows.data.map((r) => el("tr", { "data-request-id": r.request_id || "" },
    el("td", {}, r.created_at.replace("T", " ").slice(0, 19)), el("td", {}, names[r.key_id] || r.key_id || "—"),
    el("td", {}, r.endpoint), el("td", {}, r.model), el("td", {}, r.deployment || "—"),
    el("td", { class: "num" }, r.input_tokens), el("td", { class: "num" }, r.output_tokens),
    el("td", { class: "num" }, r.cost ?? "—"), el("td", { class: "num status" }, r.status),
    el("td", { class: "num" }, r.latency_ms), el("td", { class: "muted" }, r.request_id || ""))));
}

// ---- playground ----------------------------------------------------------------------------------------------

async function preparePlayground() {
  if ($("play-form").dataset.bound) return;
  $("play-form").dataset.bound = "1";
  $("play-load-models").addEventListener("click", loadModels);
  $("play-form").addEventListener("submit", play);
}

async function loadModels() {
  const r = await fetch("/v1/models", { headers: { Authorization: "Bearer " + $("play-key").value.trim() } });
  if (!r.ok) { $("play-status").textContent = await errorText(r); return; }
  const models = (await r.json()).data.map((m) => m.id).sort();
  $("play-model").replaceChildren(...models.map((id) => el("option", { value: id }, id)));
  $("play-status").textContent = models.length + " models";
}

/** Streams an answer: reads the SSE body as it arrives and appends each delta, counting the chunks it drew. */
async function play(ev) {
  ev.preventDefault();
  const out = $("play-answer");
  out.textContent = "";
  out.dataset.chunks = "0";
  out.dataset.done = "false";
  $("play-status").textContent = "streaming…";
  const started = performance.now();
  const r = await fetch("/v1/chat/completions", {
    method: "POST",
    headers: { Authorization: "Bearer " + $("play-key").value.trim(), "Content-Type": "application/json" },
    body: JSON.stringify({ model: $("play-model").value, stream: true, messages: [{ role: "user", content: $("play-prompt").value }] }),
  });
  if (!r.ok) { $("play-status").textContent = await errorText(r); return; }
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "", first = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      for (const line of event.split("\n")) {
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") continue;
        const delta = JSON.parse(data).choices?.[0]?.delta?.content;
        if (delta) {
          if (first == null) first = performance.now() - started;
          out.textContent += delta;
          out.dataset.chunks = String(Number(out.dataset.chunks) + 1);
        }
      }
    }
  }
  out.dataset.done = "true";
  $("play-status").textContent = `done: ${out.dataset.chunks} chunks, first after ${Math.round(first ?? 0)} ms, `
    + `all after ${Math.round(performance.now() - started)} ms`;
}

document.addEventListener("DOMContentLoaded", start);

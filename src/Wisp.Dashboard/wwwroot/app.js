// The Wisp dashboard: renders the node's snapshots as they arrive by server-sent events (/api/events).
"use strict";

const $ = id => document.getElementById(id);
const view = { snapshot: null, selected: null, sortKey: "pid", sortAsc: true, filter: "" };

/** An element with properties (class, text, data-*, on*) and children; text is always set as text, never as HTML. */
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null) continue;
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text != null) node.textContent = text;
  return node;
}

function uptime(seconds) {
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds / 3600) % 24, m = Math.floor(seconds / 60) % 60, s = seconds % 60;
  const two = n => String(n).padStart(2, "0");
  return d > 0 ? `${d}d${two(h)}h` : h > 0 ? `${h}h${two(m)}m` : m > 0 ? `${m}m${two(s)}s` : `${s}s`;
}

const rate = v => v >= 100 ? Math.round(v).toLocaleString("en") : v.toFixed(v >= 10 ? 1 : 2);

/** The PID's id as a number, for sorting ({host|0x0001f} → 31). */
const pidId = pid => parseInt(pid.slice(pid.lastIndexOf("|0x") + 3, -1), 16);

function chart(target, points, key, now) {
  const width = Math.max(200, target.clientWidth || 400), height = 120, top = 14, bottom = 16;
  target.setAttribute("viewBox", `0 0 ${width} ${height}`);
  target.replaceChildren();
  const times = points.map(p => Date.parse(p.at));
  const span = Math.max(60000, times.length ? times[times.length - 1] - times[0] : 0);
  const end = times.length ? times[times.length - 1] : Date.now();
  const max = Math.max(1, ...points.map(p => p[key]));
  const x = t => width - (end - t) / span * width;
  const y = v => height - bottom - v / max * (height - top - bottom);
  for (const v of [0, max / 2, max]) target.append(svg("line", { class: "grid", x1: 0, x2: width, y1: y(v), y2: y(v) }));
  target.append(svg("text", { x: 2, y: top - 3 }, rate(max)));
  target.append(svg("text", { x: 2, y: height - 3 }, `${Math.round(span / 60000)} min ago`));
  target.append(svg("text", { x: width - 2, y: height - 3, "text-anchor": "end" }, "now"));
  if (points.length > 1) {
    const line = points.map((p, i) => `${x(times[i]).toFixed(1)},${y(p[key]).toFixed(1)}`).join(" ");
    target.append(svg("polygon", { class: "area", points: `${x(times[0])},${y(0)} ${line} ${x(end)},${y(0)}` }));
    target.append(svg("polyline", { class: "line", points: line }));
  }
  now.textContent = points.length ? rate(points[points.length - 1][key]) : "";
}

function pidLink(pid, label) {
  return el("a", { text: label ?? pid, "data-pid": pid, onclick: e => { e.stopPropagation(); select(pid); } });
}

function renderServices(services) {
  $("services").tBodies[0].replaceChildren(...services.map(s => el("tr", { onclick: () => s.process && select(s.process) },
    el("td", { text: s.id }), el("td", { class: `state-${s.state}`, text: s.state }), el("td", { class: "mono", text: s.process ?? "–" }),
    el("td", { class: "num", text: s.restarts }), el("td", { text: s.startError ?? "" }))));
}

function renderTree(node) {
  const item = n => el("li", {},
    n.relation ? el("span", { class: "relation", text: n.relation === "link" ? "linked ↔ " : "monitors → " }) : "",
    n.pid ? pidLink(n.pid, n.label) : el("span", { text: n.label }),
    n.children.length ? el("ul", {}, ...n.children.map(item)) : "");
  $("tree").replaceChildren(el("ul", {}, item(node)));
}

function renderProcesses(snapshot) {
  const filter = view.filter.toLowerCase();
  const rows = snapshot.processes.filter(p => !filter || [p.pid, p.entry, p.state, ...p.names].some(t => t.toLowerCase().includes(filter)));
  const key = view.sortKey, sign = view.sortAsc ? 1 : -1;
  const value = p => key === "pid" ? pidId(p.pid) : key === "names" ? p.names.join(" ") : p[key];
  rows.sort((a, b) => { const va = value(a), vb = value(b); return sign * (va < vb ? -1 : va > vb ? 1 : 0); });
  $("processes").tBodies[0].replaceChildren(...rows.map(p => el("tr", {
      "data-pid": p.pid, class: p.pid === view.selected ? "selected" : null, onclick: () => select(p.pid) },
    el("td", { text: p.pid }), el("td", { text: p.entry }), el("td", { class: `state-${p.state}`, text: p.state }),
    el("td", { class: "num", text: p.mailbox }), el("td", { class: "num", text: p.in }), el("td", { class: "num", text: p.out }),
    el("td", { class: "num", text: p.coroutines }), el("td", { class: "num", text: uptime(p.uptime) }), el("td", { text: p.names.join(", ") }))));
  for (const th of $("processes").tHead.rows[0].cells) {
    th.classList.toggle("sorted", th.dataset.key === key);
    th.classList.toggle("asc", th.dataset.key === key && view.sortAsc);
  }
  const shown = snapshot.processes.length < snapshot.liveProcesses ? `, the first ${snapshot.processes.length} shown` : "";
  $("process-count").textContent = `(${snapshot.liveProcesses} live${shown})`;
}

function render(snapshot) {
  view.snapshot = snapshot;
  $("node").textContent = snapshot.node ? `node ${snapshot.node}` : "standalone node";
  chart($("messages-chart"), snapshot.rates, "messages", $("messages-now"));
  chart($("spawns-chart"), snapshot.rates, "spawns", $("spawns-now"));
  renderServices(snapshot.services);
  renderTree(snapshot.tree);
  renderProcesses(snapshot);
  if (view.selected) showDetail(view.selected);
}

async function showDetail(pid) {
  const response = await fetch(`/api/processes/${encodeURIComponent(pid)}`);
  if (pid !== view.selected) return;
  $("detail").hidden = false;
  $("detail-pid").textContent = pid;
  if (!response.ok) {
    $("detail-fields").replaceChildren(el("dt", { text: "state" }), el("dd", { text: "not a live process of this node (it exited, or lives on another node)" }));
    return;
  }
  const d = await response.json(), p = d.process;
  const list = related => related.length ? related.flatMap((r, i) => [i ? ", " : "", pidLink(r.pid, r.entry ? `${r.pid} ${r.entry}` : r.pid)]) : ["–"];
  const fields = [
    ["entry", [p.entry]], ["kind", [p.kind]], ["state", [p.state]], ["mailbox", [p.mailbox]], ["messages in", [p.in]],
    ["messages out", [p.out]], ["coroutines", [p.coroutines]], ["uptime", [uptime(p.uptime)]], ["names", [p.names.join(", ") || "–"]],
    ["links", list(d.links)], ["monitors", list(d.monitoring)], ["monitored by", list(d.monitoredBy)],
  ];
  $("detail-fields").replaceChildren(...fields.flatMap(([name, value]) => [el("dt", { text: name }), el("dd", { "data-field": name }, ...value)]));
}

function select(pid) {
  view.selected = pid;
  $("action-result").textContent = "";
  for (const tr of $("processes").tBodies[0].rows) tr.classList.toggle("selected", tr.dataset.pid === pid);
  showDetail(pid);
}

async function act(action) {
  const token = $("token").value.trim();
  const response = await fetch(`/api/processes/${encodeURIComponent(view.selected)}/${action}`, {
    method: "POST", headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  $("action-result").textContent = response.ok ? `${action} sent`
    : response.status === 401 ? "enter the token printed at the node's start"
    : response.status === 403 ? "wrong token" : `${action} failed (${response.status})`;
}

function connect() {
  const events = new EventSource("/api/events");
  events.addEventListener("snapshot", e => {
    $("status").textContent = "live";
    $("status").className = "status live";
    render(JSON.parse(e.data));
  });
  events.onerror = () => {
    $("status").textContent = "disconnected, retrying…";
    $("status").className = "status down";
  };
}

// The token may come in the address the node printed (…/#token=…): kept for this tab, taken out of the address bar.
const fromAddress = new URLSearchParams(location.hash.slice(1)).get("token");
if (fromAddress) {
  sessionStorage.setItem("wisp-token", fromAddress);
  history.replaceState(null, "", location.pathname);
}
$("token").value = sessionStorage.getItem("wisp-token") ?? "";
$("token").addEventListener("change", () => sessionStorage.setItem("wisp-token", $("token").value.trim()));
$("filter").addEventListener("input", () => { view.filter = $("filter").value; if (view.snapshot) renderProcesses(view.snapshot); });
for (const th of $("processes").tHead.rows[0].cells)
  th.addEventListener("click", () => {
    view.sortAsc = view.sortKey === th.dataset.key ? !view.sortAsc : true;
    view.sortKey = th.dataset.key;
    if (view.snapshot) renderProcesses(view.snapshot);
  });
$("cancel").addEventListener("click", () => act("cancel"));
$("terminate").addEventListener("click", () => act("terminate"));
connect();

"""The preview page and its two assets. The HTML is a shell: the script fetches the
state (`/state`) and draws it, and again on each server-sent `state` event, keeping
the page where it was (scroll, zoom, open panels). Every text from a spec, its data or
an error goes into the page through `textContent`, never as markup, and the shell's
only value (the title) is escaped. Page images are `/page/<pdf sha256>/<n>.jpg`, so an
unchanged edition's images come from the browser's cache and only a rebuilt edition's
are fetched. A click on a page image finds what the build drew under it (the boxes it
recorded, from the state: see :mod:`.figures`) and shows its provenance."""

from __future__ import annotations

import html as _html
from typing import Any

CSS = """
:root { --brand: #0033A0; --accent: #5B9BD5; --tint: #E9F0F9; --ink: #1E2A38;
  --muted: #5B6B7D; --rule: #C8D5E6; --page: #f4f6f9; --ok: #15803d; --ok-bg: #dcfce7;
  --warn: #b45309; --warn-bg: #fef3c7; --bad: #b91c1c; --bad-bg: #fee2e2; --zoom: 0.5; }
* { box-sizing: border-box; }
html { background: var(--page); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Lato, Arial,
  sans-serif; }
body { margin: 0; }
header { background: var(--brand); color: #fff; position: sticky; top: 0; z-index: 5;
  box-shadow: 0 1px 8px rgba(0, 20, 60, .25); }
header .bar { display: flex; align-items: center; gap: 18px; padding: 12px 28px; }
header h1 { font-size: 18px; margin: 0; font-weight: 650; letter-spacing: .01em; }
header .spec { opacity: .8; font-size: 13.5px; }
header .grow { flex: 1; }
#status { font-size: 13.5px; padding: 3px 12px; border-radius: 999px;
  background: rgba(255, 255, 255, .16); white-space: nowrap; }
#status.building { background: var(--accent); }
#status.failed { background: var(--bad); }
label.zoom { font-size: 13.5px; display: flex; align-items: center; gap: 8px; }
label.zoom input { accent-color: #fff; width: 120px; }
main { padding: 22px 28px 60px; max-width: 1800px; margin: 0 auto; }
.problems { background: #fff; border: 1px solid var(--bad); border-left-width: 5px;
  border-radius: 8px; padding: 14px 18px; margin: 0 0 22px; }
.problems h2 { color: var(--bad); font-size: 16px; margin: 0 0 8px; }
.problem { margin: 10px 0 0; }
.problem .where { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace;
  color: var(--muted); }
.problem .message { font-weight: 600; }
.problem .hint { color: var(--brand); }
.problem .hint::before { content: "hint: "; font-weight: 600; }
pre.context { background: #f8fafc; border: 1px solid var(--rule); border-radius: 6px;
  padding: 8px 0; margin: 6px 0 0; overflow-x: auto;
  font: 13px/1.5 ui-monospace, "DejaVu Sans Mono", monospace; }
pre.context span { display: block; padding: 0 12px; white-space: pre; }
pre.context .n { color: var(--muted); display: inline-block; min-width: 3.5em;
  padding: 0; }
pre.context .here { background: var(--bad-bg); }
pre.context .here .n { color: #7f1d1d; }
pre.context .caret { color: var(--bad); font-weight: 700; }
.edition { background: #fff; border: 1px solid var(--rule); border-radius: 10px;
  margin: 0 0 22px; overflow: hidden; }
.edition > .head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 10px 16px;
  padding: 12px 18px; border-bottom: 1px solid var(--rule); background: var(--tint); }
.edition .name { font-weight: 650; font-size: 16px; }
.keys { display: flex; gap: 6px; flex-wrap: wrap; list-style: none; margin: 0;
  padding: 0; }
.keys li { font-size: 13px; background: #fff; border: 1px solid var(--rule);
  border-radius: 999px; padding: 1px 10px; }
.keys li b { font-weight: 600; color: var(--muted); }
.badge { font-size: 12.5px; font-weight: 650; border-radius: 999px; padding: 2px 10px;
  text-transform: uppercase; letter-spacing: .04em; }
.badge.built { background: var(--ok-bg); color: var(--ok); }
.badge.warnings { background: var(--warn-bg); color: var(--warn); }
.badge.failed { background: var(--bad-bg); color: var(--bad); }
.edition .pdf { margin-left: auto; font-size: 13.5px; color: var(--brand); }
.edition.fresh > .head { animation: flash 1.2s ease-out; }
@keyframes flash { from { background: #cfe0f7; } to { background: var(--tint); } }
.edition .body { padding: 12px 18px 18px; }
.warnings { background: var(--warn-bg); border-radius: 6px; padding: 8px 14px;
  margin: 0 0 12px; font-size: 14px; }
.warnings .problem { margin: 4px 0; }
.edition .problems { margin: 0 0 12px; }
.pages { display: flex; flex-wrap: wrap; gap: 28px 18px; padding-bottom: 18px; }
.sheet { position: relative; background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, .18);
  line-height: 0; }
.sheet img { width: calc(var(--w) * var(--zoom) * 1px); height: auto; display: block;
  cursor: crosshair; transition: filter .2s, opacity .2s; }
.stale .sheet img { filter: grayscale(1); opacity: .45; }
.sheet .no { position: absolute; bottom: -20px; left: 0; font-size: 12px;
  color: var(--muted); line-height: 1; }
.mark { position: absolute; border: 2px solid var(--accent); border-radius: 3px;
  background: rgba(91, 155, 213, .18); pointer-events: none; }
.empty { color: var(--muted); padding: 40px 0; text-align: center; }
#prov { position: fixed; right: 24px; bottom: 24px; width: 380px; max-width: 90vw;
  background: #fff; border: 1px solid var(--rule); border-top: 4px solid var(--brand);
  border-radius: 10px; box-shadow: 0 8px 30px rgba(0, 20, 60, .22); padding: 14px 18px;
  z-index: 9; font-size: 14px; }
#prov[hidden] { display: none; }
#prov h2 { font-size: 15px; margin: 0 0 8px; color: var(--brand); }
#prov .edition-label, #prov .note { color: var(--muted); margin: -4px 0 8px;
  font-size: 13px; }
#prov dl + dl { border-top: 1px solid var(--rule); padding-top: 8px; margin-top: 8px; }
#prov dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px;
  margin: 0; }
#prov dt { color: var(--muted); }
#prov dd { margin: 0; overflow-wrap: anywhere; }
#prov button { position: absolute; top: 8px; right: 10px; border: 0; background: none;
  font-size: 20px; cursor: pointer; color: var(--muted); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
"""


JS = r"""
"use strict";
const $ = (tag, cls, text) => {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined && text !== null) el.textContent = String(text);
  return el;
};
let state = null;
const zoom = document.getElementById("zoom");
const applyZoom = () => {
  document.documentElement.style.setProperty("--zoom", zoom.value / 100);
  document.getElementById("zoomv").textContent = zoom.value + " %";
  localStorage.setItem("factsheet-zoom", zoom.value);
};
zoom.value = localStorage.getItem("factsheet-zoom") || 60;
zoom.addEventListener("input", applyZoom);
applyZoom();

function problem(p) {
  const box = $("div", "problem");
  if (p.file) box.append($("div", "where", p.file + ":" + p.line + (p.col ? ":" + p.col : "")));
  box.append($("div", "message", p.message));
  if (p.hint) box.append($("div", "hint", p.hint));
  if (p.context && p.context.length) {
    const pre = $("pre", "context");
    for (const [n, text, here] of p.context) {
      const line = $("span", here ? "here" : "");
      line.append($("span", "n", n), document.createTextNode(text));
      pre.append(line);
      if (here && p.col) {
        const caret = $("span", "caret");
        caret.append($("span", "n", ""), document.createTextNode(" ".repeat(p.col - 1) + "^"));
        pre.append(caret);
      }
    }
    box.append(pre);
  }
  return box;
}

function problems(list, title) {
  const box = $("section", "problems");
  box.setAttribute("role", "alert");
  box.append($("h2", "", title));
  list.forEach(p => box.append(problem(p)));
  return box;
}

function showProvenance(edition, target) {
  const panel = document.getElementById("prov");
  const body = panel.querySelector(".figs");
  body.replaceChildren();
  const dl = $("dl");
  for (const [k, v] of target.details) { dl.append($("dt", "", k), $("dd", "", v)); }
  body.append(dl);
  panel.querySelector(".edition-label").textContent = edition.label;
  panel.hidden = false;
}

// The smallest recorded box under the point (a figure inside a chart's frame wins).
function hitAt(edition, n, x, y) {
  let best = null;
  for (const b of edition.boxes || []) {
    if (b.page !== n || x < b.x0 || x > b.x1 || y < b.top || y > b.bottom) continue;
    const area = (b.x1 - b.x0) * (b.bottom - b.top);
    if (!best || area < best.area) best = {box: b, area: area};
  }
  return best && best.box;
}

function sheet(edition, n) {
  const box = $("div", "sheet");
  const img = $("img");
  const size = (edition.sizes || [])[n - 1] || [595, 842];
  img.style.setProperty("--w", size[0]);
  img.src = "/page/" + edition.pdf_sha256 + "/" + n + ".jpg";
  // A page asked for just as its PDF was rebuilt is refused; ask once more.
  img.addEventListener("error", () => setTimeout(() => {
    if (img.isConnected) img.src = img.src.split("?")[0] + "?again=1";
  }, 300), {once: true});
  img.alt = "page " + n + " of " + edition.output;
  img.addEventListener("click", ev => {
    const r = img.getBoundingClientRect();
    const x = (ev.clientX - r.left) / r.width * size[0];
    const y = (ev.clientY - r.top) / r.height * size[1];
    box.querySelectorAll(".mark").forEach(m => m.remove());
    const hit = hitAt(edition, n, x, y);
    if (!hit) { document.getElementById("prov").hidden = true; return; }
    const mark = $("div", "mark");
    Object.assign(mark.style, {left: hit.x0 / size[0] * 100 + "%",
      top: hit.top / size[1] * 100 + "%", width: (hit.x1 - hit.x0) / size[0] * 100 + "%",
      height: (hit.bottom - hit.top) / size[1] * 100 + "%"});
    box.append(mark);
    showProvenance(edition, hit);
  });
  box.append(img, $("span", "no", n));
  return box;
}

function editionCard(e) {
  const card = $("article", "edition" + (e.stale ? " stale" : "") + (e.fresh ? " fresh" : ""));
  card.dataset.label = e.label;
  card.dataset.status = e.status;
  const head = $("div", "head");
  head.append($("span", "name", e.output));
  const keys = $("ul", "keys");
  for (const [k, v] of Object.entries(e.keys || {})) {
    const li = $("li"); li.append($("b", "", k + " "), document.createTextNode(v)); keys.append(li);
  }
  head.append(keys, $("span", "badge " + e.status, e.status));
  if (e.pdf_sha256) {
    const a = $("a", "pdf", "PDF ↗");
    a.href = "/pdf/" + e.pdf_sha256 + ".pdf"; a.target = "_blank"; a.rel = "noopener";
    head.append(a);
  }
  const body = $("div", "body");
  if (e.errors.length) body.append(problems(e.errors, e.pdf_sha256
    ? "Not built: the last good pages are shown greyed out" : "Not built"));
  if (e.warnings.length) {
    const w = $("section", "warnings");
    w.append($("strong", "", e.warnings.length + " warning" + (e.warnings.length > 1 ? "s" : "")));
    e.warnings.forEach(p => w.append(problem(p)));
    body.append(w);
  }
  const pages = $("div", "pages");
  for (let n = 1; n <= e.pages; n++) pages.append(sheet(e, n));
  body.append(pages);
  card.append(head, body);
  return card;
}

function draw() {
  const status = document.getElementById("status");
  const c = state.counts || {};
  const failed = (c.failed || 0) > 0 || (state.spec_errors || []).length > 0;
  status.className = state.building ? "building" : failed ? "failed" : "";
  status.textContent = state.building ? "building…" : (c.built || 0) + " built, "
    + (c.up_to_date || 0) + " up to date, " + (c.failed || 0) + " failed · "
    + (state.seconds || 0).toFixed(2) + " s · " + (state.finished || "");
  if (state.title) {
    document.querySelector("header .spec").textContent = state.title;
    document.title = "Preview · " + state.title;
  }
  document.body.dataset.version = state.version;
  document.body.dataset.building = state.building ? "1" : "0";
  if (state.building) return;
  const main = document.querySelector("main");
  const parts = [];
  if ((state.spec_errors || []).length) parts.push(problems(state.spec_errors,
    "The spec could not be read: the last good pages are shown greyed out"));
  state.editions.forEach(e => parts.push(editionCard(e)));
  if (!parts.length) parts.push($("p", "empty", "No editions."));
  main.replaceChildren(...parts);
}

// A state older than the one shown (a slow first request) is not drawn.
function show(next) {
  if (state && next.version < state.version) return;
  state = next;
  draw();
}

async function refresh() {
  const response = await fetch("/state", {cache: "no-store"});
  show(await response.json());
}

document.querySelector("#prov button").addEventListener("click", () => {
  document.getElementById("prov").hidden = true;
  document.querySelectorAll(".mark").forEach(m => m.remove());
});
// Each event carries the state: drawn at once, with no request for it.
const source = new EventSource("/events");
source.addEventListener("state", ev => show(JSON.parse(ev.data)));
refresh();
"""

ASSETS = {"preview.css": ("text/css", CSS), "preview.js": ("text/javascript", JS)}


def html(state: dict[str, Any]) -> str:
    """The page's shell; the script fills it from `/state`."""
    title = _html.escape(str(state.get("title") or "factsheet"))
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Preview · {title}</title>
<link rel="stylesheet" href="/assets/preview.css">
</head>
<body>
<header><div class="bar">
<h1>factsheet preview</h1><span class="spec">{title}</span><span class="grow"></span>
<label class="zoom">Zoom <input id="zoom" type="range" min="25" max="150" step="5"
 aria-label="Zoom"><span id="zoomv"></span></label>
<span id="status" role="status" aria-live="polite">starting…</span>
</div></header>
<main><p class="empty">Building…</p></main>
<aside id="prov" hidden aria-label="Provenance"><button type="button"
 aria-label="Close">×</button><h2>Where this number comes from</h2>
<p class="edition-label"></p><div class="figs"></div></aside>
<script src="/assets/preview.js"></script>
</body>
</html>
"""

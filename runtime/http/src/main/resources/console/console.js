// The tokenlab console: talks only to this runtime's own API (/api/v1/...), nothing else is loaded.
"use strict";
const $ = (id) => document.getElementById(id);
const VOCABULARIES = ["cl100k_base", "o200k_base", "p50k_base", "r50k_base", "gpt2", "llama2", "gemma3", "qwen3"];

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  const data = await r.json().catch(() => ({ error: r.status + " " + r.statusText }));
  if (!r.ok) {
    const e = new Error(data.error || String(r.status));
    e.status = r.status;
    throw e;
  }
  return data;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

// ---- playground
let pending = 0;
let timer = null;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(tokenize, 120);
}

async function tokenize() {
  const text = $("text").value;
  const technique = $("technique").value;
  const params = technique === "tokenizer/bpe" && $("vocabulary").value ? { vocabulary: $("vocabulary").value } : {};
  const seq = ++pending;
  try {
    const r = await api("POST", "/api/v1/tokenize", { technique, params, texts: [text] });
    if (seq !== pending) return; // a newer keystroke's answer is on its way
    const res = r.results[0];
    $("playground-error").hidden = true;
    $("count").textContent = res.count;
    $("chars").textContent = [...text].length;
    $("served").textContent = "by " + r.technique + " " + r.version;
    $("ids").textContent = JSON.stringify(res.ids);
    renderTokens(text, res.tokens);
  } catch (e) {
    if (seq !== pending) return;
    $("playground-error").textContent = e.message;
    $("playground-error").hidden = false;
  }
}

function renderTokens(text, tokens) {
  const box = $("tokens");
  box.replaceChildren();
  let i = 0;
  let colour = 0;
  while (i < tokens.length) {
    // byte-level tokens that split one character share its span: show the span once, with every id
    let j = i;
    const ids = [];
    while (j < tokens.length && tokens[j].start === tokens[i].start && tokens[j].stop === tokens[i].stop) {
      ids.push(tokens[j].id);
      j++;
    }
    const piece = text.substring(tokens[i].start, tokens[i].stop);
    const span = el("span", { class: "tok t" + (colour++ % 5), title: "id " + ids.join(", "), tabindex: "0",
      "aria-label": JSON.stringify(piece) + " id " + ids.join(", "), "data-ids": ids.join(" ") }, piece);
    box.append(span);
    i = j;
  }
}

// ---- techniques (live)
function renderTechniques(list, swaps) {
  const rows = $("technique-rows");
  rows.replaceChildren();
  for (const t of list) {
    const state = el("td", { class: "state-" + t.state }, t.state + (t.detail ? ": " + t.detail : ""));
    rows.append(el("tr", { "data-technique": t.technique, "data-version": t.version },
      el("td", {}, t.technique), el("td", { class: "version" }, t.version), state,
      el("td", {}, t.input + " → " + t.output), el("td", {}, t.bundle)));
  }
  $("swaps").textContent = swaps === undefined ? "" : "(" + swaps + " swaps)";
  const select = $("technique");
  const current = select.value;
  const names = [...new Set(list.filter((t) => t.technique.startsWith("tokenizer/") && t.state === "active")
    .map((t) => t.technique))];
  select.replaceChildren(...names.map((n) => el("option", { value: n }, n)));
  if (names.includes(current)) select.value = current;
  else if (names.includes("tokenizer/bpe")) select.value = "tokenizer/bpe";
}

function connectEvents() {
  const source = new EventSource("/api/v1/events");
  source.addEventListener("techniques", (e) => {
    const data = JSON.parse(e.data);
    const first = $("technique").options.length === 0;
    renderTechniques(data.techniques, data.swaps);
    $("live").textContent = "live";
    if (first) tokenize();
    loadPipelines();
  });
  source.onerror = () => { $("live").textContent = "reconnecting…"; };
}

// ---- pipelines
async function loadPipelines() {
  try {
    const list = await api("GET", "/api/v1/pipelines");
    const ul = $("pipeline-list");
    ul.replaceChildren();
    const select = $("run-pipeline");
    const current = select.value;
    select.replaceChildren();
    for (const p of list) {
      const li = el("li", {}, el("strong", {}, p.name), " — " + p.state + (p.input ? " (" + p.input + " → " + p.output + ")" : ""));
      const problems = p.problems.concat(p.unavailable);
      if (problems.length) li.append(el("pre", {}, problems.join("\n")));
      ul.append(li);
      if (p.state === "active" || p.state === "active-last-good") select.append(el("option", { value: p.name }, p.name));
    }
    if ([...select.options].some((o) => o.value === current)) select.value = current;
  } catch (e) {
    $("pipeline-list").replaceChildren(el("li", { class: "error" }, e.message));
  }
}

async function runPipeline(ev) {
  ev.preventDefault();
  const set = {};
  for (const pair of $("run-set").value.split(/[\s,]+/).filter(Boolean)) {
    const eq = pair.indexOf("=");
    if (eq > 0) set[pair.substring(0, eq)] = pair.substring(eq + 1);
  }
  const inputs = $("run-input").value.split("\n");
  try {
    const r = await api("POST", "/api/v1/pipelines/" + encodeURIComponent($("run-pipeline").value) + "/run", { inputs, set });
    $("run-error").hidden = true;
    $("run-output").textContent = Object.entries(r.versions).map(([k, v]) => k + " = " + v).join("\n") + "\n\n"
      + r.outputs.map((o) => Array.isArray(o) ? o.join(" ") : String(o)).join("\n");
  } catch (e) {
    $("run-error").textContent = e.message;
    $("run-error").hidden = false;
  }
}

$("vocabularies").replaceChildren(...VOCABULARIES.map((v) => el("option", { value: v })));
$("text").addEventListener("input", schedule);
$("technique").addEventListener("change", tokenize);
$("vocabulary").addEventListener("change", tokenize);
$("run-form").addEventListener("submit", runPipeline);
api("GET", "/api/v1/techniques").then((list) => { renderTechniques(list); tokenize(); }).catch(() => {});
loadPipelines();
connectEvents();

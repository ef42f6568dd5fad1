// The web chat page: sends what the child does to /api/event and shows the answers.
// Everything shown comes from the server already made safe; no text is put into the
// page as HTML except the server's `html`, which only ever holds <b>, <i> and <br>.
"use strict";

const list = document.getElementById("messages");
const toast = document.getElementById("toast");
const author = document.body.dataset.author === "yes";

function clientId() {
  let id = localStorage.getItem("safebot-client");
  if (!id || !/^[0-9a-f]{32}$/.test(id)) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    localStorage.setItem("safebot-client", id);
  }
  return id;
}

function showToast(text) {
  toast.textContent = text;
  toast.hidden = false;
  setTimeout(() => { toast.hidden = true; }, 2500);
}

function addChild(text) {
  const item = document.createElement("li");
  item.className = "msg child";
  item.textContent = text;
  list.appendChild(item);
  item.scrollIntoView({ block: "end" });
}

function button(cell) {
  if (cell.url) {
    const link = document.createElement("a");
    link.className = "chip link";
    link.href = cell.url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    link.textContent = cell.label;
    return link;
  }
  const b = document.createElement("button");
  b.type = "button";
  b.className = "chip";
  b.textContent = cell.label;
  if (cell.copy) {
    b.addEventListener("click", async () => {
      try { await navigator.clipboard.writeText(cell.copy); showToast(cell.copy + " ✓"); }
      catch (e) { showToast(cell.copy); }
    });
  } else {
    b.dataset.press = cell.data;
    b.addEventListener("click", () => press(b));
  }
  return b;
}

function addBot(reply) {
  const item = document.createElement("li");
  item.className = "msg bot " + (reply.kind || "");
  const text = document.createElement("div");
  text.innerHTML = reply.html; // made safe by the server: only <b>, <i>, <br>
  item.appendChild(text);
  if (reply.buttons.length) {
    const box = document.createElement("div");
    box.className = "buttons";
    for (const row of reply.buttons) {
      const line = document.createElement("div");
      line.className = "row";
      for (const cell of row) line.appendChild(button(cell));
      box.appendChild(line);
    }
    item.appendChild(box);
  }
  list.appendChild(item);
  item.scrollIntoView({ block: "end" });
}

async function send(event, pressed) {
  const body = JSON.stringify({ client: clientId(), language: navigator.language, ...event });
  let answer;
  try {
    const response = await fetch("/api/event", {
      method: "POST", headers: { "Content-Type": "application/json" }, body,
    });
    if (!response.ok) { showToast(await response.text()); return; }
    answer = await response.json();
  } catch (e) {
    showToast("No connection. Try again.");
    return;
  }
  document.documentElement.lang = answer.lang;
  document.documentElement.dir = answer.dir;
  applyLabels(answer.labels);
  if (answer.quick_exit) {
    list.replaceChildren();
    sessionStorage.clear();
  }
  if (answer.clear_buttons && pressed) {
    for (const b of pressed.closest(".buttons").querySelectorAll("button[data-press]")) b.disabled = true;
  }
  if (answer.toast) showToast(answer.toast);
  for (const reply of answer.replies) addBot(reply);
  if (author) refreshAuthor();
}

function applyLabels(labels) {
  document.getElementById("help").textContent = labels.help;
  document.getElementById("exit").textContent = labels.exit;
  for (const b of document.querySelectorAll("[data-command]")) {
    if (labels[b.dataset.command]) b.textContent = labels[b.dataset.command];
  }
  document.getElementById("text").placeholder = labels.placeholder;
  document.querySelector(".typing button").setAttribute("aria-label", labels.send);
}

function press(b) {
  if (!["h", "x", "b", "m"].includes(b.dataset.press)) addChild(b.textContent);
  send({ kind: "press", arg: b.dataset.press }, b);
}

function command(name, arg) {
  send({ kind: "command", name, arg: arg || "" });
}

document.getElementById("help").addEventListener("click", () => command("help"));
document.getElementById("exit").addEventListener("click", () => command("exit"));
for (const b of document.querySelectorAll("[data-command]")) {
  b.addEventListener("click", () => command(b.dataset.command));
}
document.getElementById("typing").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = document.getElementById("text");
  const text = input.value.trim();
  input.value = "";
  if (!text) return;
  if (text.startsWith("/")) {
    const [name, ...rest] = text.slice(1).split(" ");
    command(name, rest.join(" "));
  } else {
    addChild(text);
    send({ kind: "text", arg: text });
  }
});

// -- author mode: problems in the files and the flow of the current lesson ------------
let mermaidReady = null;
function loadMermaid() {
  if (!mermaidReady) {
    mermaidReady = new Promise((resolve) => {
      const script = document.createElement("script");
      script.src = "/static/vendor/mermaid.min.js";
      script.onload = () => { window.mermaid.initialize({ startOnLoad: false }); resolve(); };
      document.head.appendChild(script);
    });
  }
  return mermaidReady;
}

let lastFlow = "";
async function refreshAuthor() {
  const response = await fetch("/api/author?client=" + clientId());
  if (!response.ok) return;
  const data = await response.json();
  const problems = document.getElementById("problems");
  problems.replaceChildren(...(data.problems.length ? data.problems : ["No problems."]).map((p) => {
    const li = document.createElement("li"); li.textContent = p; return li;
  }));
  if (data.flow && data.flow !== lastFlow) {
    lastFlow = data.flow;
    await loadMermaid();
    const { svg } = await window.mermaid.render("flow-svg", data.flow);
    document.getElementById("flow").innerHTML = svg; // drawn by Mermaid from our own graph
  }
}

if (author) {
  document.getElementById("author").hidden = false;
  setInterval(refreshAuthor, 2000);
}
command("start");

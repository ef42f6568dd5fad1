// The web chat page: sends what the child does to /api/event and shows the answers.
// The only HTML put into the page is the server's `html` of a reply, which the server
// has made safe (<b>, <i>, <br> and <a> to http(s) pages); everything else is text.
"use strict";

const list = document.getElementById("messages");
const scroller = document.getElementById("scroller");
const toast = document.getElementById("toast");
const typing = document.getElementById("typing");
const field = document.getElementById("text");

const ID_KEY = "safebot-client"; // the random id: kept until the child erases everything
const CHAT_KEY = "safebot-chat"; // this tab's messages, so a reload keeps the chat
const PAGE_KEY = "safebot-page"; // language, direction and the page's own words

// -- storage that may be missing (private windows, blocked storage) ----------------------
function store(area) {
  try {
    const s = window[area];
    s.setItem("safebot-test", "1");
    s.removeItem("safebot-test");
    return s;
  } catch (e) {
    const memory = new Map();
    return {
      getItem: (k) => (memory.has(k) ? memory.get(k) : null),
      setItem: (k, v) => memory.set(k, String(v)),
      removeItem: (k) => memory.delete(k),
    };
  }
}
const local = store("localStorage");
const session = store("sessionStorage");

function clientId() {
  let id = local.getItem(ID_KEY);
  if (!id || !/^[0-9a-f]{32}$/.test(id)) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    local.setItem(ID_KEY, id);
  }
  return id;
}

// -- the chat history of this tab ---------------------------------------------------------
// Typed words are not kept, even here: only the bot's replies and the buttons tapped.
let chatLog = [];
try { chatLog = JSON.parse(session.getItem(CHAT_KEY) || "[]"); } catch (e) { chatLog = []; }

function remember(entry) {
  chatLog.push(entry);
  session.setItem(CHAT_KEY, JSON.stringify(chatLog));
  return chatLog.length - 1;
}

function saveHistory() {
  session.setItem(CHAT_KEY, JSON.stringify(chatLog));
}

function forgetHistory() {
  chatLog = [];
  session.removeItem(CHAT_KEY);
  session.removeItem(PAGE_KEY);
}

// -- showing messages ---------------------------------------------------------------------
let toastTimer = 0;
function showToast(text) {
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, 2800);
}

function scrollToEnd(first) {
  // a long answer is read from its top (with the tap that led to it just above);
  // a short one just scrolls the chat up
  const end = scroller.scrollHeight - scroller.clientHeight;
  if (first) {
    const top = first.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    const wanted = scroller.scrollTop + top - 64;
    if (wanted < end) { scroller.scrollTop = Math.max(wanted, 0); return; }
  }
  scroller.scrollTop = end;
}

function addChild(text, keep) {
  const item = document.createElement("li");
  item.className = "msg child";
  item.dir = "auto";
  item.textContent = text;
  list.appendChild(item);
  if (keep) remember({ who: "child", text });
  return item;
}

function chip(cell) {
  if (cell.url) {
    const link = document.createElement("a");
    link.className = "chip link";
    link.dir = "auto";
    link.href = cell.url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    link.textContent = cell.label;
    return link;
  }
  const b = document.createElement("button");
  b.type = "button";
  b.className = "chip";
  b.dir = "auto";
  b.textContent = cell.label;
  if (cell.copy) {
    b.classList.add("copy");
    b.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(cell.copy);
        showToast(cell.copy + " ✓");
      } catch (e) {
        showToast(cell.copy); // no clipboard here: at least show the number
      }
    });
  } else {
    b.dataset.press = cell.data;
    b.addEventListener("click", () => press(b));
  }
  return b;
}

function addBot(reply, index) {
  const item = document.createElement("li");
  item.className = "msg bot kind-" + String(reply.kind || "notice").replace(/[^a-z-]/g, "");
  item.dataset.index = index;
  const text = document.createElement("div");
  text.className = "text";
  // the reply's own direction: a line that starts with "/privacy" is still Arabic
  text.dir = reply.dir === "rtl" || reply.dir === "ltr" ? reply.dir : "auto";
  text.innerHTML = reply.html; // made safe by the server
  item.appendChild(text);
  if (reply.buttons.length) {
    const box = document.createElement("div");
    box.className = "buttons";
    for (const row of reply.buttons) {
      const line = document.createElement("div");
      line.className = "row";
      for (const cell of row) line.appendChild(chip(cell));
      box.appendChild(line);
    }
    item.appendChild(box);
    if (reply.cleared) disablePresses(item);
  }
  list.appendChild(item);
  return item;
}

function disablePresses(item) {
  for (const b of item.querySelectorAll("button[data-press]")) b.disabled = true;
}

function setPage(page) {
  if (!page) return;
  document.documentElement.lang = page.lang;
  document.documentElement.dir = page.dir;
  const labels = page.labels || {};
  document.getElementById("help-label").textContent = labels.help;
  document.getElementById("exit-label").textContent = labels.exit;
  for (const b of document.querySelectorAll("[data-command]")) {
    if (labels[b.dataset.command]) b.textContent = labels[b.dataset.command];
  }
  field.placeholder = labels.placeholder;
  document.getElementById("send").setAttribute("aria-label", labels.send);
}

// -- talking to the server ------------------------------------------------------------------
let waiting = 0;
async function send(event) {
  const body = JSON.stringify({ client: clientId(), language: navigator.language, ...event });
  waiting += 1;
  const dots = setTimeout(() => { if (waiting) typing.hidden = false; }, 250);
  try {
    const response = await fetch("/api/event", {
      method: "POST", headers: { "Content-Type": "application/json" }, body,
    });
    if (!response.ok) {
      showToast(await response.text());
      return null;
    }
    return await response.json();
  } catch (e) {
    showToast("No connection. Try again.");
    return null;
  } finally {
    waiting -= 1;
    clearTimeout(dots);
    if (!waiting) typing.hidden = true;
  }
}

function show(answer, focusNext) {
  const page = { lang: answer.lang, dir: answer.dir, labels: answer.labels };
  setPage(page);
  if (answer.forgotten) {
    local.removeItem(ID_KEY); // a new random id next time: nothing links back
    forgetHistory();
  }
  if (answer.toast) showToast(answer.toast);
  let first = null;
  let firstChip = null;
  for (const reply of answer.replies) {
    // after a quick exit nothing is kept, not even its one line
    const item = addBot(reply, answer.quick_exit ? -1 : remember({ who: "bot", reply }));
    first = first || item;
    firstChip = firstChip || item.querySelector(".chip:not([disabled])");
  }
  if (!answer.forgotten && !answer.quick_exit) session.setItem(PAGE_KEY, JSON.stringify(page));
  scrollToEnd(first);
  if (focusNext && firstChip) firstChip.focus({ preventScroll: true });
  announce("safebot:answer");
}

async function press(b) {
  const item = b.closest(".msg");
  const hadFocus = document.activeElement === b;
  const echo = addChild(b.textContent, false);
  scrollToEnd(null);
  const answer = await send({ kind: "press", arg: b.dataset.press });
  if (!answer) { echo.remove(); return; }
  if (answer.toast && !answer.replies.length) {
    echo.remove(); // an old button: nothing happened
  } else {
    remember({ who: "child", text: b.textContent });
  }
  if (answer.clear_buttons && item) {
    disablePresses(item);
    const entry = chatLog[Number(item.dataset.index)];
    if (entry) { entry.reply.cleared = true; saveHistory(); }
  }
  show(answer, hadFocus);
}

async function command(name, arg) {
  const answer = await send({ kind: "command", name, arg: arg || "" });
  if (answer) show(answer, false);
}

function clearChat() {
  list.replaceChildren();
  forgetHistory();
  field.value = "";
  toast.hidden = true;
  announce("safebot:cleared");
  window.history.replaceState(null, "", "/");
}

async function quickExit() {
  clearChat(); // at once, before the server answers
  document.activeElement.blur();
  const answer = await send({ kind: "command", name: "exit", arg: "" });
  if (answer) {
    list.replaceChildren();
    forgetHistory();
    show(answer, false);
  }
}

// -- what the author and review panels (author.js, review.js) use of the chat -------------------
function announce(name) {
  document.dispatchEvent(new CustomEvent(name));
}
window.safebot = { clientId, show, showToast, session };

// -- what the child can do --------------------------------------------------------------------
document.getElementById("help").addEventListener("click", () => command("help"));
document.getElementById("exit").addEventListener("click", quickExit);
for (const b of document.querySelectorAll("[data-command]")) {
  b.addEventListener("click", () => command(b.dataset.command));
}
document.getElementById("compose").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = field.value.trim();
  field.value = "";
  if (!text) return;
  if (text.startsWith("/")) {
    const [name, ...rest] = text.slice(1).split(/\s+/);
    if (name.toLowerCase() === "exit") { quickExit(); return; }
    command(name, rest.join(" "));
    return;
  }
  addChild(text, false); // shown, never stored: typed words stay on the screen only
  scrollToEnd(null);
  const answer = await send({ kind: "text", arg: text });
  if (answer) show(answer, false);
});

// -- start ----------------------------------------------------------------------------------------
if (chatLog.length) {
  // a reload: show this tab's chat again, and carry on where it was
  try { setPage(JSON.parse(session.getItem(PAGE_KEY) || "null")); } catch (e) { /* defaults */ }
  chatLog.forEach((entry, i) => {
    if (entry.who === "child") addChild(entry.text, false);
    else addBot(entry.reply, i);
  });
  scrollToEnd(null);
  announce("safebot:answer");
} else {
  command("start");
}

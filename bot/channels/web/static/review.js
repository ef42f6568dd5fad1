// Review mode (`safebot demo --review`): a youth review group marks the step they are on
// "clear", "confusing" or "not right", with a short note. The page sends only the
// session's name (a group's name), the mark and the note: the server knows the step.
"use strict";

(() => {
  if (document.body.dataset.review !== "yes") return;
  const chat = window.safebot;
  const SESSION_KEY = "safebot-review-session"; // this tab's session name, for a reload
  const panel = document.getElementById("review");
  const start = document.getElementById("review-start");
  const marking = document.getElementById("review-mark");
  const nameField = document.getElementById("review-session");
  const note = document.getElementById("review-note");
  const count = document.getElementById("review-count");
  const status = document.getElementById("review-status");
  const where = document.getElementById("review-step");
  const marks = [...document.querySelectorAll("#review [data-mark]")];

  let session = chat.session.getItem(SESSION_KEY) || "";
  let place = ""; // lesson, step, language and band shown: a new one fills the panel afresh
  let chosen = "";

  function showSession() {
    start.hidden = Boolean(session);
    marking.hidden = !session;
    document.getElementById("review-session-name").textContent = session;
  }

  function choose(mark) {
    chosen = mark;
    for (const b of marks) b.setAttribute("aria-pressed", String(b.dataset.mark === mark));
  }

  function counted() {
    count.textContent = note.value.length + "/" + note.maxLength;
  }

  async function refresh() {
    if (!session) return;
    let data;
    try {
      const query = "client=" + chat.clientId() + "&session=" + encodeURIComponent(session);
      const response = await fetch("/api/review?" + query);
      if (!response.ok) return;
      data = await response.json();
    } catch (e) {
      return;
    }
    const here = [data.lesson, data.step, data.language, data.band].join("|");
    if (here === place) return; // the same step: keep what is being typed
    place = here;
    for (const b of marks) b.disabled = !data.step;
    document.getElementById("review-save").disabled = !data.step;
    note.disabled = !data.step;
    where.textContent = data.step
      ? "Step “" + data.step + "” of " + data.title + " (" + data.language + ", " + data.band + ")"
      : "Open a lesson, then mark each step.";
    choose(data.mark || "");
    note.value = data.note || "";
    counted();
    status.textContent = data.mark ? "Your group marked this step “" + data.mark + "”." : "";
  }

  async function save() {
    if (!chosen) { status.textContent = "Choose clear, confusing or not right first."; return; }
    const body = JSON.stringify({ client: chat.clientId(), session, mark: chosen, note: note.value });
    try {
      const response = await fetch("/api/review", {
        method: "POST", headers: { "Content-Type": "application/json" }, body,
      });
      if (!response.ok) { status.textContent = await response.text(); return; }
      const saved = await response.json();
      status.textContent = "Saved: “" + saved.mark + "” on the step “" + saved.step + "”.";
    } catch (e) {
      status.textContent = "Not saved: no connection. Try again.";
    }
  }

  start.addEventListener("submit", (e) => {
    e.preventDefault();
    const name = nameField.value.trim().replace(/\s+/g, " ");
    if (!name) return;
    session = name;
    chat.session.setItem(SESSION_KEY, session);
    place = "";
    showSession();
    refresh();
  });
  document.getElementById("review-change").addEventListener("click", () => {
    nameField.value = session;
    session = "";
    chat.session.removeItem(SESSION_KEY);
    showSession();
    nameField.focus();
  });
  for (const b of marks) {
    b.addEventListener("click", () => { choose(b.dataset.mark); save(); });
  }
  marking.addEventListener("submit", (e) => { e.preventDefault(); save(); });
  note.addEventListener("input", () => {
    counted();
    if (chosen) status.textContent = "Press Save to keep the note.";
  });
  document.addEventListener("safebot:answer", refresh);
  document.addEventListener("safebot:cleared", () => { place = ""; refresh(); });

  panel.hidden = false;
  document.body.classList.add("with-review");
  showSession();
  refresh();
})();

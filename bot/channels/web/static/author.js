// Author mode (`safebot demo --watch`, and `--review`): the mistakes in the files and the
// flow of the lesson being played. A click on a step of the flow takes the chat there.
"use strict";

(() => {
  if (document.body.dataset.author !== "yes") return;
  const chat = window.safebot;
  const box = document.getElementById("flow");

  let mermaidReady = null;
  function loadMermaid() {
    if (!mermaidReady) {
      mermaidReady = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = "/static/vendor/mermaid.min.js";
        script.onload = () => {
          window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" });
          resolve();
        };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return mermaidReady;
  }

  function problemItem(p) {
    const li = document.createElement("li");
    li.className = p.severity;
    const where = document.createElement("code");
    where.textContent = p.where;
    const message = document.createElement("span");
    message.textContent = (p.severity === "warning" ? "warning: " : "") + p.message;
    li.append(where, " ", message);
    return li;
  }

  let lastFlow = "";
  let renders = 0;
  let steps = new Set(); // the steps of the lesson drawn: only these can be clicked
  async function refresh() {
    let data;
    try {
      const response = await fetch("/api/author?client=" + chat.clientId());
      if (!response.ok) return;
      data = await response.json();
    } catch (e) {
      return;
    }
    document.getElementById("read-at").textContent = data.read_at ? "· read " + data.read_at : "";
    document.getElementById("not-loaded").hidden = data.loaded;
    const lessons = data.problems.filter((p) => p.lesson);
    const others = data.problems.filter((p) => !p.lesson);
    const problems = document.getElementById("problems");
    if (lessons.length) {
      problems.replaceChildren(...lessons.map(problemItem));
    } else {
      const ok = document.createElement("li");
      ok.className = "ok";
      ok.textContent = "No mistakes found.";
      problems.replaceChildren(ok);
    }
    document.getElementById("other-count").textContent = others.length;
    document.getElementById("other-problems").replaceChildren(...others.map(problemItem));
    document.getElementById("flow-title").textContent = data.title
      ? data.title + " (" + data.step + ")" : "start a lesson to see it";
    steps = new Set(data.steps || []);
    // a lesson is a long chain of steps: top to bottom reads like the chat itself
    const flow = data.flow.replace("direction LR", "direction TB");
    if (flow === lastFlow) return;
    lastFlow = flow;
    if (!flow) { box.replaceChildren(); return; }
    try {
      await loadMermaid();
      renders += 1;
      const { svg } = await window.mermaid.render("flow-svg-" + renders, flow);
      box.innerHTML = svg; // drawn by Mermaid (strict mode) from our own graph text
      markSteps();
    } catch (e) {
      box.textContent = "The flow could not be drawn: " + e;
    }
  }

  // Mermaid names a state's node "<svg id>-state-<step>-<n>": the step is read back from it
  function stepOf(node) {
    const found = /-state-([a-z][a-z0-9_]*)-\d+$/.exec(node.id || "");
    return found && steps.has(found[1]) ? found[1] : "";
  }

  function markSteps() {
    for (const node of box.querySelectorAll("g.node")) {
      const step = stepOf(node);
      if (!step) continue;
      node.classList.add("jump");
      node.dataset.step = step;
      node.setAttribute("role", "button");
      node.setAttribute("tabindex", "0");
      node.setAttribute("aria-label", "Go to the step " + step);
    }
  }

  async function jump(step) {
    let answer;
    try {
      const response = await fetch("/api/jump", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ client: chat.clientId(), step }),
      });
      if (!response.ok) { chat.showToast(await response.text()); return; }
      answer = await response.json();
    } catch (e) {
      chat.showToast("No connection. Try again.");
      return;
    }
    chat.show(answer, false);
  }

  function jumpFrom(event) {
    const node = event.target.closest && event.target.closest("g.node.jump");
    if (!node) return;
    if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    jump(node.dataset.step);
  }
  box.addEventListener("click", jumpFrom);
  box.addEventListener("keydown", jumpFrom);

  document.addEventListener("safebot:answer", refresh);
  document.addEventListener("safebot:cleared", () => { box.replaceChildren(); lastFlow = ""; });
  document.getElementById("author").hidden = false;
  document.body.classList.add("with-author");
  setInterval(refresh, 2000);
  refresh();
})();

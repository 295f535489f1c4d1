// Keyboard-first review: number keys pick the verdict, Enter submits, S skips, F flags, U undoes,
// ? toggles the help. Typing in a text field is left alone.
(function () {
  let shownAt = Date.now();
  document.body.addEventListener("htmx:afterSwap", () => { shownAt = Date.now(); });

  function typing(event) {
    const tag = (event.target.tagName || "").toLowerCase();
    return tag === "textarea" || (tag === "input" && event.target.type === "text");
  }

  // A verdict survives a lost session. It is kept in sessionStorage (this tab only) from the
  // moment it is sent until the server answers anything but 401 (app.js shows the 401 with a login
  // link whose ?next= is this page). Back on this page after the login, the kept verdict is
  // submitted again if the item on screen is the same slot; the server refuses a slot that is no
  // longer this reviewer's or is already reviewed, so it is never saved twice.
  const KEPT = "cai:kept-verdict";
  const DAY_MS = 24 * 3600 * 1000;

  function keep(form) {
    const fields = [];
    new FormData(form).forEach((value, name) => {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") fields.push([name, value]);
    });
    const slot = form.querySelector("[name=slot]");
    const verdict = { page: location.pathname, slot: slot ? slot.value : "", fields, at: Date.now() };
    try { sessionStorage.setItem(KEPT, JSON.stringify(verdict)); } catch (e) { /* storage off */ }
  }

  function kept() {
    try { return JSON.parse(sessionStorage.getItem(KEPT) || "null"); } catch (e) { return null; }
  }

  function forget() {
    try { sessionStorage.removeItem(KEPT); } catch (e) { /* storage off */ }
  }

  function notice(text) {
    const item = document.getElementById("review-item");
    if (!item) return;
    const p = document.createElement("p");
    p.className = "kept";
    p.setAttribute("role", "status");
    p.setAttribute("data-testid", "kept-verdict");
    p.textContent = text;
    item.prepend(p);
  }

  let pending = false;
  let resubmitted = false;
  document.body.addEventListener("htmx:afterRequest", (event) => {
    pending = false;
    const form = event.detail.elt;
    if (!form || form.id !== "review-form") return;
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status !== 401) forget();
    if (resubmitted && !(status >= 200 && status < 300)) resubmitted = false;
  });
  document.body.addEventListener("htmx:afterSwap", () => {
    if (!resubmitted) return;
    resubmitted = false;
    notice("Your verdict from before the login is saved.");
  });
  document.addEventListener("cai:session-expired", (event) => {
    const box = event.detail && event.detail.banner;
    if (!box || !kept()) return;
    const p = document.createElement("p");
    p.className = "kept";
    p.textContent = "Your verdict is kept in this tab: it is submitted after you log in again.";
    box.insertBefore(p, box.lastChild);
  });

  // Posts through htmx.ajax rather than form.requestSubmit(): right after a swap htmx has not yet
  // wired up the new form (it does so when the swap settles), and a fast key press would then
  // submit it natively and reload the page.
  function submitForm(form, { timed = true } = {}) {
    if (!form || pending) return;
    const seconds = form.querySelector("[name=seconds_spent]");
    if (seconds && timed) seconds.value = ((Date.now() - shownAt) / 1000).toFixed(1);
    if (!window.htmx) { form.requestSubmit(); return; }
    if (form.id === "review-form") keep(form);
    pending = true;
    htmx.ajax("POST", form.getAttribute("action"), {
      source: form, target: "#review-item", swap: "outerHTML",
    });
  }

  function resubmitKept() {
    const verdict = kept();
    if (!verdict || verdict.page !== location.pathname) return;
    if (Date.now() - verdict.at > DAY_MS) { forget(); return; }
    const form = document.getElementById("review-form");
    const slot = form && form.querySelector("[name=slot]");
    if (!slot || slot.value !== verdict.slot) {
      forget();
      notice("The verdict you gave before your session expired was not saved: that item is no " +
        "longer yours (its claim ran out). This is the next one.");
      return;
    }
    for (const [name, value] of verdict.fields) {
      if (name === "slot") continue;
      form.querySelectorAll(`[name="${CSS.escape(name)}"]`).forEach((input) => {
        if (input.type === "radio" || input.type === "checkbox") input.checked = input.value === value;
        else input.value = value;
      });
    }
    resubmitted = true;
    submitForm(form, { timed: false });
  }

  // After htmx has set itself up (its DOMContentLoaded listener was added first).
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resubmitKept);
  else resubmitKept();

  document.addEventListener("submit", (event) => {
    if (event.target.id === "review-form") {
      const seconds = event.target.querySelector("[name=seconds_spent]");
      if (seconds && seconds.value === "0") seconds.value = ((Date.now() - shownAt) / 1000).toFixed(1);
    }
  }, true);

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event)) {
      if (event.key === "Enter" && event.target.tagName.toLowerCase() === "input") {
        event.preventDefault();
        submitForm(document.getElementById("review-form"));
      }
      return;
    }
    const key = event.key;
    const choice = document.querySelector(`#review-form [data-key="${key}"]`);
    if (choice) { choice.checked = true; event.preventDefault(); return; }
    if (key === "Enter") { event.preventDefault(); submitForm(document.getElementById("review-form")); }
    else if (key === "s" || key === "S") { submitForm(document.getElementById("skip-button")?.form); }
    else if (key === "u" || key === "U") { submitForm(document.getElementById("undo-button")?.form); }
    else if (key === "f" || key === "F") {
      const form = document.getElementById("flag-form");
      if (!form) return;
      const note = window.prompt("What is ambiguous about this principle here?");
      if (note && note.trim()) { form.querySelector("[name=note]").value = note; submitForm(form); }
    } else if (key === "?") {
      const help = document.getElementById("key-help");
      help.hidden = !help.hidden;
    }
  });
})();

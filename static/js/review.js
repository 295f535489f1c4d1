// Keyboard-first review: number keys pick the verdict, Enter submits, S skips, F flags, U undoes,
// ? toggles the help. Typing in a text field is left alone.
(function () {
  let shownAt = Date.now();
  document.body.addEventListener("htmx:afterSwap", () => { shownAt = Date.now(); });

  function typing(event) {
    const tag = (event.target.tagName || "").toLowerCase();
    return tag === "textarea" || (tag === "input" && event.target.type === "text");
  }

  let pending = false;
  document.body.addEventListener("htmx:afterRequest", () => { pending = false; });

  // Posts through htmx.ajax rather than form.requestSubmit(): right after a swap htmx has not yet
  // wired up the new form (it does so when the swap settles), and a fast key press would then
  // submit it natively and reload the page.
  function submitForm(form) {
    if (!form || pending) return;
    const seconds = form.querySelector("[name=seconds_spent]");
    if (seconds) seconds.value = ((Date.now() - shownAt) / 1000).toFixed(1);
    if (!window.htmx) { form.requestSubmit(); return; }
    pending = true;
    htmx.ajax("POST", form.getAttribute("action"), {
      source: form, target: "#review-item", swap: "outerHTML",
    });
  }

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

// Keyboard-first review: number keys pick the verdict, Enter submits, S skips, F flags, U undoes,
// ? toggles the help. Typing in a text field is left alone.
(function () {
  let shownAt = Date.now();
  document.body.addEventListener("htmx:afterSwap", () => { shownAt = Date.now(); });

  function typing(event) {
    const tag = (event.target.tagName || "").toLowerCase();
    return tag === "textarea" || (tag === "input" && event.target.type === "text");
  }

  function submitForm(form) {
    if (!form) return;
    const seconds = form.querySelector("[name=seconds_spent]");
    if (seconds) seconds.value = ((Date.now() - shownAt) / 1000).toFixed(1);
    form.requestSubmit();
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
    else if (key === "s" || key === "S") { document.getElementById("skip-button")?.click(); }
    else if (key === "u" || key === "U") { document.getElementById("undo-button")?.click(); }
    else if (key === "f" || key === "F") {
      const form = document.getElementById("flag-form");
      if (!form) return;
      const note = window.prompt("What is ambiguous about this principle here?");
      if (note && note.trim()) { form.querySelector("[name=note]").value = note; form.requestSubmit(); }
    } else if (key === "?") {
      const help = document.getElementById("key-help");
      help.hidden = !help.hidden;
    }
  });
})();

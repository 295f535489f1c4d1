// Polling elements marked data-poll-visible skip their request while the tab is hidden (htmx
// runs with allowEval off, so a trigger filter such as [document.visibilityState] cannot do it).
document.addEventListener("htmx:beforeRequest", function (event) {
  var elt = event.detail && event.detail.elt;
  if (document.hidden && elt && elt.hasAttribute("data-poll-visible")) {
    event.preventDefault();
  }
});

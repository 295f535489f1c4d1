// Every htmx answer is shown to the person who asked (loaded on every page by base.html).
//
// htmx 2 swaps nothing for a 4xx/5xx answer by default, so a form with errors, an edit conflict
// (409) or a refused review used to look as if nothing happened. Here:
//   - a 4xx answer that is a partial made for its target (the form with its errors, the conflict
//     notice, the review item with its error) swaps like a 200;
//   - a 4xx answer that is a whole error page (400/403/404 templates, marked data-http-error) goes
//     to the banner at the top of the page (#http-error), not into the middle of the page;
//   - 401 means the session expired: the banner links to the login page (see
//     cai_audit/session_expiry.py) and a "cai:session-expired" event lets the page keep what the
//     user was doing (review.js keeps the pending verdict);
//   - a 5xx answer, a network failure or a timeout shows a generic message in the banner.
// The banner stays until it is dismissed or a later request from the same element succeeds.
(function () {
  "use strict";

  var source = null; // the element whose request put up the banner

  function banner() {
    return document.getElementById("http-error");
  }

  function dismissButton() {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "dismiss";
    button.setAttribute("aria-label", "Dismiss");
    button.textContent = "×";
    button.addEventListener("click", hide);
    return button;
  }

  function show(nodes, elt) {
    var box = banner();
    if (!box) return null;
    box.replaceChildren.apply(box, nodes.concat([dismissButton()]));
    box.hidden = false;
    source = elt || null;
    if (box.getBoundingClientRect().top < 0) box.scrollIntoView({ block: "nearest" });
    return box;
  }

  function hide() {
    var box = banner();
    if (!box) return;
    box.hidden = true;
    box.replaceChildren();
    source = null;
  }

  function paragraph(text) {
    var p = document.createElement("p");
    p.textContent = text;
    return p;
  }

  // The [data-http-error] part of an HTML answer, parsed inertly (DOMParser runs no scripts) and
  // adopted into this page; null when the answer has none.
  function errorPart(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/html") !== 0 || !xhr.responseText) return null;
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var part = doc.querySelector("[data-http-error]");
    return part ? document.importNode(part, true) : null;
  }

  function isWholePage(text) {
    return /^\s*(<!doctype|<html[\s>])/i.test(text || "");
  }

  function sessionExpired(xhr, detail) {
    var part = errorPart(xhr);
    if (!part) {
      // Not our fragment (a proxy's 401?): build the same message here.
      part = document.createElement("section");
      part.className = "http-error";
      part.setAttribute("data-session-expired", "");
      var link = document.createElement("a");
      link.href = "/accounts/login/?next=" + encodeURIComponent(location.pathname + location.search);
      link.setAttribute("data-login-link", "");
      link.textContent = "Log in again";
      var p = paragraph("Your session expired. Nothing was saved. ");
      p.appendChild(link);
      part.appendChild(p);
    }
    var box = show([part], detail.elt);
    document.dispatchEvent(new CustomEvent("cai:session-expired", {
      detail: { elt: detail.elt, banner: box, requestConfig: detail.requestConfig },
    }));
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var xhr = detail.xhr;
    var status = xhr.status;
    if (status < 400) {
      if (source && detail.elt === source) hide();
      return;
    }
    detail.shouldSwap = false;
    if (status === 401) {
      sessionExpired(xhr, detail);
      return;
    }
    if (status >= 500) {
      show([paragraph(
        "Something went wrong on the server (HTTP " + status + "). Try again; if it keeps " +
        "happening, tell an administrator."
      )], detail.elt);
      return;
    }
    var part = errorPart(xhr);
    if (part) {
      show([part], detail.elt);
      return;
    }
    if (isWholePage(xhr.responseText) || !xhr.responseText) {
      show([paragraph("The server refused this request (HTTP " + status + ").")], detail.elt);
      return;
    }
    // A partial made for this target: the form with its errors, the conflict notice, the
    // review item with its error message.
    detail.shouldSwap = true;
    detail.isError = false;
    if (source && detail.elt === source) hide();
  });

  function unreachable(event) {
    show([paragraph(
      "The server could not be reached: check the connection and try again."
    )], event.detail && event.detail.elt);
  }
  document.addEventListener("htmx:sendError", unreachable);
  document.addEventListener("htmx:timeout", unreachable);
})();

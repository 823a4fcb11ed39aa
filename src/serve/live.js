// Injected by `accord serve` only: reloads the page after a rebuild and
// shows build errors over the page until they are fixed.
(function () {
  "use strict";
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "accord-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:99999;overflow:auto;margin:0;padding:1.5rem;" +
        "background:#fff;color:#0b0c0c;border:8px solid #d4351c;font:15px/1.5 monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "The site did not build. The last good version is still being served.\n\n" + text;
  }
  var events = new EventSource("/__accord/events");
  events.addEventListener("reload", function (e) {
    var target = e.data;
    if (target && target.split("#")[0] !== window.location.pathname) {
      window.location.href = target;
    } else {
      window.location.reload();
    }
  });
  // The server's "build-error", not the EventSource's own "error", which
  // only means the connection dropped (it reconnects by itself).
  events.addEventListener("build-error", function (e) {
    show(e.data);
  });
})();

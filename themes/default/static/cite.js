// Progressive enhancement: a button that copies the citation on the page,
// and the day it is read as the citation's "accessed" date.
// Without JavaScript the citation is plain, selectable text and the button
// stays hidden. No inline script, so it works under the site's CSP.
(function () {
  "use strict";
  // A citation's "accessed" date is the day the reader read it. The page
  // was built as at an earlier date, which it shows without JavaScript
  // (and says what it is); here the citations say today instead, so a
  // copied citation carries the day it was copied.
  var cite = document.querySelector("[data-accessed]");
  if (cite) {
    var asAt = cite.getAttribute("data-accessed");
    var now = new Date();
    var today = now.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    if (asAt && today !== asAt) {
      cite.querySelectorAll(".citation").forEach(function (citation) {
        var walker = document.createTreeWalker(citation, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          var node = walker.currentNode;
          if (node.nodeValue.indexOf(asAt) !== -1) node.nodeValue = node.nodeValue.split(asAt).join(today);
        }
      });
      var on = cite.querySelector("[data-accessed-on]");
      var note = cite.querySelector("[data-accessed-note]");
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      if (on) {
        on.textContent = today;
        on.setAttribute("datetime", now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()));
      }
      if (note) note.textContent = "(today, the day you read this page)";
    }
  }
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var tool = button.closest(".copy-tool");
    var status = tool && tool.querySelector(".copy-status");
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!tool || !source) return;
    tool.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.replace(/\s+/g, " ").trim();
      navigator.clipboard.writeText(text).then(
        function () { if (status) status.textContent = "Citation copied."; },
        function () { if (status) status.textContent = "Copying was not allowed: select the citation and copy it."; }
      );
    });
  });
})();

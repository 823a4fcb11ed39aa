// Progressive enhancement: a button that copies the citation on the page.
// Without JavaScript the citation is plain, selectable text and the button
// stays hidden. No inline script, so it works under the site's CSP.
(function () {
  "use strict";
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

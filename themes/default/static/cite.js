// Progressive enhancement of citing: a button that copies the citation on
// the page, the day it is read as the citation's "accessed" date, a cited
// paragraph's own citation, and a link to a paragraph whose words have
// changed sent on to the earlier text that has them. Without JavaScript the
// citations are plain, selectable text and the buttons stay hidden. No
// inline script, so it works under the site's CSP.
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
  // A paragraph cited by its anchor. If its words have changed since, the
  // anchor is no longer on this page: the list of such paragraphs names
  // the earlier text that has them, and the reader is sent there.
  function paragraph() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf("p-") !== 0) return;
    var target = document.getElementById(id);
    if (!target) {
      var moved = document.querySelectorAll("a[data-anchor]");
      for (var i = 0; i < moved.length; i++) {
        if (moved[i].getAttribute("data-anchor") === id) {
          location.replace(moved[i].href);
          return;
        }
      }
      return;
    }
    citeParagraph(target);
  }

  // "Cite this paragraph" beside the paragraph a reader went to: the
  // agreement, the section, the paragraph's place, the text and the address.
  function citeParagraph(target) {
    var article = target.closest("[data-cite-title]");
    var link = target.querySelector(":scope > .para-link");
    var section = target.closest("section");
    var heading = section && section.querySelector("h2");
    if (!article || !link || !heading) return;
    var old = document.getElementById("para-cite");
    if (old) old.remove();
    var citation = article.getAttribute("data-cite-title") + ", “" + heading.textContent.trim() + "”, " +
      link.getAttribute("data-place") + " (" + article.getAttribute("data-cite-text") + "), " + link.href;
    var box = document.createElement("div");
    box.className = "para-cite";
    box.id = "para-cite";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Cite this paragraph");
    var line = document.createElement("p");
    var label = document.createElement("strong");
    label.textContent = "Cite this paragraph: ";
    var text = document.createElement("span");
    text.id = "para-citation";
    text.textContent = citation;
    line.append(label, text);
    box.append(line);
    if (navigator.clipboard) {
      var tool = document.createElement("p");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy the paragraph's citation";
      var status = document.createElement("span");
      status.className = "copy-status";
      status.setAttribute("role", "status");
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(citation).then(
          function () { status.textContent = "Citation copied."; },
          function () { status.textContent = "Copying was not allowed: select the citation and copy it."; }
        );
      });
      tool.append(button, " ", status);
      box.append(tool);
    }
    if (target.tagName === "LI") target.append(box);
    else target.after(box);
  }
  paragraph();
  window.addEventListener("hashchange", paragraph);

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

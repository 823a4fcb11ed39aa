// Starts Pagefind's modular search UI (shipped by `accord build` under
// /pagefind/) on the search page, and keeps the query and filters in the
// address bar so a search can be shared, bookmarked and returned to.
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  if (!root || !window.PagefindModularUI) return;
  var ui = window.PagefindModularUI;
  var filterNames = root.getAttribute("data-filters").split(" ");
  // The index is small enough to search on the main thread, which saves
  // downloading Pagefind's worker script.
  var instance = new ui.Instance({ bundlePath: root.getAttribute("data-bundle"), noWorker: true });
  var input = document.getElementById("search-input");

  instance.add(new ui.Input({ inputElement: "#search-input" }));
  instance.add(new ui.Summary({ containerElement: "#search-summary", defaultMessage: "" }));
  instance.add(new ui.ResultList({ containerElement: "#search-results", showImages: false }));
  var pills = {};
  filterNames.forEach(function (name) {
    pills[name] = new ui.FilterPills({ containerElement: "#filter-" + name, filter: name, selectMultiple: true });
    instance.add(pills[name]);
  });

  var params = new URLSearchParams(window.location.search);
  var query = params.get("q") || "";
  var filters = {};
  filterNames.forEach(function (name) {
    var values = params.getAll(name).filter(Boolean);
    if (values.length) {
      filters[name] = values;
      pills[name].selected = values;
    }
  });

  instance.on("search", function (term, active) {
    var next = new URLSearchParams();
    if (term) next.set("q", term);
    Object.keys(active || {}).forEach(function (name) {
      [].concat(active[name]).forEach(function (value) {
        if (value && value !== "All") next.append(name, value);
      });
    });
    var search = next.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  });

  root.classList.add("search-ready");
  input.value = query;
  if (query || Object.keys(filters).length) {
    instance.triggerSearchWithFilters(query, filters);
  } else {
    instance.triggerLoad();
  }
})();

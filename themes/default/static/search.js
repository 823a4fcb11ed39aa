// Starts Pagefind's modular search UI (shipped by `accord build`; the page
// names its files in data-bundle, data-api and data-shards) on the search
// page, keeps the query and filters in the address bar so a search can be
// shared, bookmarked and returned to, and
// makes a question typed in plain English find what it means:
//  - words that carry no meaning ("on", "the", "what") are not required to match;
//  - a query whose words are never all on one page finds the pages with most
//    of them, says so, and offers each word's own results.
// Pagefind's UI and index are used as they ship; only its options, its
// term and its filter buttons' wording are set here.
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  if (!root || !window.PagefindModularUI) return;
  var ui = window.PagefindModularUI;
  var bundle = root.getAttribute("data-bundle");
  var filterNames = root.getAttribute("data-filters").split(" ");
  var instance = new ui.Instance({ bundlePath: bundle });
  var input = document.getElementById("search-input");
  var fallback = document.getElementById("search-fallback");

  // English words too common to say what a question is about.
  var STOP = ("a about an and any are as at be been by can could do does for from has have how i if in into is it its " +
    "me my of on or our should so than that the their them there these they this those to was we were what when " +
    "where which who whom why will with would you your").split(" ");
  function meaningful(term) {
    var words = term.toLowerCase().split(/[^\p{L}\p{N}'’-]+/u).filter(Boolean);
    var kept = words.filter(function (w) { return STOP.indexOf(w) < 0; });
    return (kept.length ? kept : words);
  }

  // Filter buttons that say what their number is ("Prisons and probation
  // 2022–25, 12 results"), not a bare number.
  class Pills extends ui.FilterPills {
    // `value` comes from the index already escaped as HTML (see search/mod.rs).
    pillInner(value, count) {
      if (!this.total) return "<span>" + value + "</span>";
      var results = count === 1 ? "1 result" : count + " results";
      return "<span aria-label=\"" + value + ", " + results + "\" data-pfmod-pill-count=\"" + count + "\">" + value +
        " <span class=\"pill-count\" aria-hidden=\"true\">(" + count + ")</span></span>";
    }
  }

  instance.add(new ui.Summary({ containerElement: "#search-summary", defaultMessage: "" }));
  instance.add(new ui.ResultList({ containerElement: "#search-results", showImages: false }));
  var pills = {};
  filterNames.forEach(function (name) {
    pills[name] = new Pills({ containerElement: "#filter-" + name, filter: name, selectMultiple: true });
    instance.add(pills[name]);
  });

  var typed = "";
  var active = {};
  function updateAddress() {
    var next = new URLSearchParams();
    if (typed) next.set("q", typed);
    Object.keys(active).forEach(function (name) {
      [].concat(active[name]).forEach(function (value) {
        if (value && value !== "All") next.append(name, value);
      });
    });
    var search = next.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }
  instance.on("search", function (term, filters) {
    active = filters || {};
    updateAddress();
  });

  // Pagefind's own API (the module the UI loads too), to weigh the words
  // of a question. A large site's index is in shards, which the bundle's
  // manifest lists: each is merged in with Pagefind's mergeIndex before
  // anything is searched, so the UI and this code search all of them as one.
  var api = null;
  function pagefind() {
    if (!api) {
      var manifest = fetch(root.getAttribute("data-shards"))
        .then(function (r) { return r.ok ? r.json() : { shards: [] }; })
        .catch(function () { return { shards: [] }; });
      api = Promise.all([import(root.getAttribute("data-api")), manifest]).then(function (loaded) {
        var p = loaded[0];
        var others = (loaded[1].shards || []).filter(function (s) { return s.path; });
        return Promise.all(others.map(function (s) { return p.mergeIndex(bundle + s.path); }))
          .then(function () { return p; });
      });
    }
    return api;
  }
  function count(p, words) {
    return p.search(words.join(" "), { filters: active }).then(function (r) { return r ? r.results.length : 0; });
  }
  // The largest set of the question's words that some pages have all of, dropping one word at a time.
  function best(p, words) {
    if (words.length <= 1) return Promise.resolve(words);
    var tries = words.map(function (_, i) { return words.filter(function (_, j) { return j !== i; }); });
    return Promise.all(tries.map(function (t) { return count(p, t); })).then(function (counts) {
      var top = counts.indexOf(Math.max.apply(null, counts));
      return counts[top] > 0 ? tries[top] : best(p, tries[top]);
    });
  }
  function offerWords(words, shown) {
    fallback.textContent = "";
    if (words.length < 2) return;
    var note = document.createElement("p");
    note.textContent = shown
      ? "No page has all of the words you searched for. Showing the pages that have most of them: " + shown.join(" ") + "."
      : "No page has all of the words you searched for.";
    fallback.appendChild(note);
    var each = document.createElement("p");
    each.appendChild(document.createTextNode("Search for each word on its own: "));
    words.forEach(function (w, i) {
      var a = document.createElement("a");
      a.href = "?q=" + encodeURIComponent(w);
      a.textContent = w;
      each.appendChild(a);
      if (i < words.length - 1) each.appendChild(document.createTextNode(", "));
    });
    fallback.appendChild(each);
  }

  var searching = 0;
  function search(term) {
    typed = term;
    var mine = ++searching;
    fallback.textContent = "";
    var words = meaningful(term);
    if (!words.length) { instance.triggerSearch(""); return; }
    pagefind().then(function (p) {
      return count(p, words).then(function (n) {
        if (n > 0 || words.length < 2) return { words: words, shown: null };
        return best(p, words).then(function (found) { return { words: words, shown: found }; });
      });
    }).then(function (plan) {
      if (mine !== searching) return;
      // Term and filters in one step: a separate triggerFilters would race
      // this search and could report its empty result last.
      instance.triggerSearchWithFilters((plan.shown || plan.words).join(" "), active);
      if (plan.shown) offerWords(plan.words, plan.shown);
    }, function () {
      if (mine === searching) instance.triggerSearchWithFilters(words.join(" "), active);
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value.trim()); }, 250);
  });
  root.querySelector("form").addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    search(input.value.trim());
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

  root.classList.add("search-ready");
  input.value = query;
  typed = query;
  active = filters;
  if (Object.keys(filters).length) document.getElementById("search-filters").open = true;
  if (query) {
    search(query);
  } else {
    // The UI lists filters once the index (every shard of it) is in.
    var start = function () {
      if (Object.keys(filters).length) instance.triggerFilters(filters);
      else instance.triggerLoad();
    };
    pagefind().then(start, start);
  }
})();

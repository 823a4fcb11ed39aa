// The search page: a question typed in plain English, answered from
// Pagefind's index through Pagefind's own API (the page names the bundle's
// files in data-bundle, data-api and data-shards), with the results drawn
// here. The index is Pagefind's as it ships; what this adds is how a
// question is asked of it and how the answers are ranked and shown:
//  - words too common to say what a question is about ("what", "the") are
//    left out, and the page says which;
//  - each remaining word, and each phrase the glossary or the site's
//    editors know (data-words, written by `accord build`), is looked up on
//    its own and with the words known to mean the same ("medicines" also as
//    "medication", "CQC" also as "Care Quality Commission");
//  - a page ranks by the share of the question's words it has (each word
//    counting by how rare it is on the site), squared, times Pagefind's
//    score for those words weighed by the kind of page (data-words again),
//    so pages with most of the words come first, and of those the
//    agreements' commitments before lists of names;
//  - every result is a link as soon as the list shows, named by its number
//    and opening words, and says which of the words it has;
//  - filters are buttons that narrow the list; the question and filters
//    are kept in the address bar, so a search can be shared and returned to.
// Text from the index is put on the page as text, never as markup.
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  if (!root || !window.fetch || !window.Map) return;
  var bundle = root.getAttribute("data-bundle");
  var filterNames = root.getAttribute("data-filters").split(" ");
  var known = JSON.parse(root.getAttribute("data-words") || "{}");
  var input = document.getElementById("search-input");
  var summary = document.getElementById("search-summary");
  var explained = document.getElementById("search-words");
  var list = document.getElementById("search-results");
  var details = document.getElementById("search-filters");

  // English words too common to say what a question is about.
  var STOP = new Set(("a about above after again against all am an and any are as at be because been before being " +
    "below between both but by can could did do does doing down during each few for from further get gets getting " +
    "give given go goes going got had has have having he her here hers him his how i if in into is it its just " +
    "know let me many more most much my no nor not of off on once only or other our ours out over own people person please " +
    "same she should so some someone somebody such tell than that the their theirs them then there these they " +
    "thing things this those through to too under until up very want was we were what when where which while who " +
    "whom why will with would you your happen happens happened happening").split(" "));

  // A text as search compares it, word by word: lower case, apostrophes
  // dropped, split at anything not a letter or digit (as `accord build`
  // reads the words of synonyms.toml).
  function tokens(text) {
    return text.toLowerCase().replace(/['’]/g, "").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  // "medicine" and "medicines" are one word to the word lists.
  function key(word) {
    return word.length > 3 && /[^s]s$/.test(word) ? word.slice(0, -1) : word;
  }
  function keyOf(words) {
    return words.map(key).join(" ");
  }

  // Every word or phrase the glossary or the editors know, by key, with
  // the words of the same meaning and whose list says so.
  var same = new Map();
  var longest = 1;
  // A word of one letter ("L&D" is "l d") would find nearly every page, as
  // Pagefind takes a word as the start of longer ones: such words are not
  // looked up for each other.
  function searchable(words) {
    return words.length && words.every(function (w) { return w.length > 1; });
  }
  (known.groups || []).forEach(function (group) {
    group.words.forEach(function (word) {
      var own = tokens(word);
      if (!searchable(own)) return;
      var k = keyOf(own);
      longest = Math.max(longest, own.length);
      if (!same.has(k)) same.set(k, []);
      group.words.forEach(function (other) {
        var theirs = tokens(other);
        if (searchable(theirs) && keyOf(theirs) !== k &&
            !same.get(k).some(function (a) { return a.text === other; })) {
          same.get(k).push({ text: other, words: theirs, from: group.from });
        }
      });
    });
  });

  // A question as what to look up: its meaningful words and known phrases,
  // each with the words of the same meaning; and the words left out.
  function ask(question) {
    // Each word as typed, to say what was searched for in the reader's own words.
    var typedWords = question.replace(/['’]/g, "").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    var words = typedWords.map(function (w) { return w.toLowerCase(); });
    var wanted = [];
    var left = [];
    var i = 0;
    while (i < words.length) {
      var found = 0;
      for (var n = Math.min(longest, words.length - i); n >= 1 && !found; n--) {
        var part = words.slice(i, i + n);
        if (same.has(keyOf(part)) && !(n === 1 && STOP.has(part[0]))) found = n;
      }
      if (found) {
        var phrase = words.slice(i, i + found);
        var label = typedWords.slice(i, i + found).join(" ");
        wanted.push({ label: label, alts: [{ text: label, words: phrase, from: null }]
          .concat(same.get(keyOf(phrase))) });
        i += found;
      } else {
        if (STOP.has(words[i])) left.push(typedWords[i]);
        else wanted.push({ label: typedWords[i], alts: [{ text: typedWords[i], words: [words[i]], from: null }] });
        i++;
      }
    }
    // A question of common words only is asked as it is.
    if (!wanted.length) {
      wanted = left.map(function (w) { return { label: w, alts: [{ text: w, words: [w.toLowerCase()], from: null }] }; });
      left = [];
    }
    var seen = new Set();
    wanted = wanted.filter(function (c) {
      var k = keyOf(c.alts[0].words);
      return !seen.has(k) && seen.add(k);
    });
    return { wanted: wanted, left: left.filter(function (w, n) { return left.indexOf(w) === n; }) };
  }

  // Pagefind's API (its module), with every shard the bundle's manifest
  // lists merged in with Pagefind's mergeIndex before anything is searched.
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

  var looked = new Map();
  function lookUp(p, words) {
    var term = words.join(" ");
    if (!looked.has(term)) {
      looked.set(term, p.search(term).then(function (r) { return r ? r.results : []; }));
    }
    return looked.get(term);
  }

  // Which pages have each filter's values, from Pagefind's filters: a
  // search for nothing with one filter set lists the pages that have it.
  // Every page has a kind, so the kinds' lists between them name every
  // page, each with the result that loads its text.
  var facets = null;
  function loadFacets(p) {
    if (!facets) {
      var pageById = new Map();
      facets = p.filters().then(function (all) {
        return Promise.all(Object.keys(all).map(function (name) {
          return Promise.all(Object.keys(all[name]).map(function (value) {
            var only = {};
            only[name] = value;
            return p.search(null, { filters: only }).then(function (r) {
              var results = r ? r.results : [];
              results.forEach(function (x) { if (!pageById.has(x.id)) pageById.set(x.id, x); });
              return [value, new Set(results.map(function (x) { return x.id; }))];
            });
          })).then(function (pairs) { return [name, new Map(pairs)]; });
        }));
      }).then(function (pairs) {
        var f = new Map(pairs);
        f.pages = pageById;
        f.kindOf = new Map();
        (f.get("kind") || new Map()).forEach(function (ids, kind) {
          ids.forEach(function (id) { f.kindOf.set(id, kind); });
        });
        return f;
      });
    }
    return facets;
  }
  // Each kind of page's weight, in the order its filter buttons come in.
  var kinds = new Map(known.kinds || []);
  function weightOf(kind) {
    return kinds.has(kind) ? kinds.get(kind) : 1;
  }
  // A filter's values in a fixed order, whatever order the index (or its
  // shards) lists them in: kinds as `accord build` lists them, others by name.
  function ordered(name, values) {
    var all = [];
    values.forEach(function (ids, value) { all.push(value); });
    var rank = Array.from(kinds.keys());
    return all.sort(function (a, b) {
      if (name === "kind" && rank.indexOf(a) !== rank.indexOf(b)) return rank.indexOf(a) - rank.indexOf(b);
      return decode(a).localeCompare(decode(b), "en");
    });
  }

  // The pages that have the question's words, best first.
  function rank(p, f, question) {
    return Promise.all(question.wanted.map(function (c) {
      return Promise.all(c.alts.map(function (a) { return lookUp(p, a.words); })).then(function (lists) {
        var found = new Map();
        lists.forEach(function (results, n) {
          results.forEach(function (r, place) {
            var had = found.get(r.id);
            if (!had) found.set(r.id, had = { score: 0, alt: null, results: [], place: place });
            had.results.push(r);
            if (!had.alt || r.score > had.score) { had.score = r.score; had.alt = c.alts[n]; }
          });
        });
        return found;
      });
    })).then(function (perWord) {
      var rare = perWord.map(function (found) { return Math.log(1 + f.pages.size / Math.max(1, found.size)); });
      var total = rare.reduce(function (a, b) { return a + b; }, 0);
      var pages = new Map();
      perWord.forEach(function (found, n) {
        found.forEach(function (hit, id) {
          if (!pages.has(id)) pages.set(id, { id: id, has: [], rare: 0, score: 0, results: [], place: Infinity });
          var page = pages.get(id);
          page.place = Math.min(page.place, hit.place);
          page.has[n] = hit;
          page.rare += rare[n];
          page.score += hit.score;
          page.results = page.results.concat(hit.results);
        });
      });
      var ranked = [];
      pages.forEach(function (page) {
        page.kind = f.kindOf.get(page.id);
        page.count = page.has.filter(Boolean).length;
        page.share = total ? page.rare / total : 1;
        page.value = page.score * weightOf(page.kind) * page.share * page.share;
        ranked.push(page);
      });
      // A page that has only words a quarter of all pages have ("health",
      // for "mental health") answers too little to list, unless no page has more.
      var telling = ranked.filter(function (page) {
        return page.has.some(function (hit, n) { return hit && perWord[n].size <= f.pages.size / 4; });
      });
      if (telling.length) ranked = telling;
      // Ties in Pagefind's own order, then a fixed one.
      ranked.sort(function (a, b) {
        return b.value - a.value || a.place - b.place || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      });
      return ranked;
    });
  }

  // Escaped text as Pagefind holds it (see search/mod.rs), as text again.
  var ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&#x27;": "'" };
  function decode(text) {
    return String(text).replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, function (e) { return ENTITIES[e]; });
  }

  function element(name, className, text) {
    var e = document.createElement(name);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // A few words of the page around where it has the question's words most,
  // those words marked (as text and <mark> elements, never as markup).
  var EXCERPT = 30;
  function excerpt(data, page) {
    var words = data.content.split(" ");
    // The record starts with its title (without an item's opening words),
    // which the result shows already.
    var head = decode(data.content).split(". ")[0];
    var title = decode(data.meta.title || "");
    var skip = title.indexOf(head) === 0 ? (head + ".").split(" ").length : 0;
    var marked = new Set();
    page.results.forEach(function (r) { r.words.forEach(function (w) { if (w >= skip) marked.add(w); }); });
    var start = skip;
    var best = -1;
    for (var s = skip; s < Math.max(skip + 1, words.length - EXCERPT + 1); s++) {
      var n = 0;
      marked.forEach(function (w) { if (w >= s && w < s + EXCERPT) n++; });
      if (n > best) { best = n; start = s; }
    }
    var end = Math.min(words.length, start + EXCERPT);
    var p = element("p", "search-result-excerpt");
    if (start > skip) p.appendChild(document.createTextNode("… "));
    for (var i = start; i < end; i++) {
      var text = decode(words[i]);
      if (marked.has(i)) p.appendChild(element("mark", null, text));
      else p.appendChild(document.createTextNode(text));
      if (i < end - 1) p.appendChild(document.createTextNode(" "));
    }
    if (end < words.length) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  // "Has 2 of 3 words: smoking (as “smoke”), detention. Not: stopping."
  function matched(data, page, question) {
    var words = data.content.split(" ");
    var has = [];
    var not = [];
    question.wanted.forEach(function (c, n) {
      var hit = page.has[n];
      if (!hit) { not.push(c.label); return; }
      var as = null;
      if (hit.alt.from) {
        as = hit.alt.text;
      } else if (c.alts[0].words.length === 1) {
        // The page's own form of the word, where Pagefind matched another
        // ("prevention" as "prevent"); a hyphenated word is several.
        var first = hit.results.filter(function (r) { return r.words.length; })[0];
        var word = (first ? tokens(decode(words[first.words[0]] || "")) : []).filter(function (w) {
          return w.slice(0, 3) === c.alts[0].words[0].slice(0, 3);
        })[0];
        if (word && key(word) !== key(c.alts[0].words[0])) as = word;
      }
      has.push(as ? c.label + " (as “" + as + "”)" : c.label);
    });
    var line = question.wanted.length > 1
      ? "Has " + has.length + " of " + question.wanted.length + " words: " + has.join(", ") + "."
      : "Has: " + has.join(", ") + ".";
    if (not.length) line += " Not: " + not.join(", ") + ".";
    return element("p", "search-result-words", line);
  }

  function result(data, page, question) {
    var li = element("li", "search-result");
    var title = element("p", "search-result-title");
    var a = element("a", null, data.meta.title || data.url);
    a.href = data.url;
    title.appendChild(a);
    li.appendChild(title);
    if (page.kind) li.appendChild(element("p", "search-result-kind", decode(page.kind)));
    li.appendChild(excerpt(data, page));
    if (question) li.appendChild(matched(data, page, question));
    return li;
  }

  // The summary, then what was searched for: the words left out and the
  // words of the same meaning looked up too, each said to be the glossary's
  // or the editors'.
  function describe(question, shown, typed) {
    summary.textContent = count(shown.length) + " found for “" + typed + "”";
    explained.textContent = "";
    var searched = element("p", null, "Searched for " + (question.wanted.length > 1 ? "the words " : "") +
      question.wanted.map(function (c) { return "“" + c.label + "”"; }).join(", ") + ".");
    if (question.left.length) {
      searched.appendChild(document.createTextNode(" Left out as too common: " + question.left.join(", ") + "."));
    }
    explained.appendChild(searched);
    if (question.wanted.length > 1 && shown.length) {
      var whole = shown.filter(function (page) { return page.count === question.wanted.length; }).length;
      explained.appendChild(element("p", null, whole === shown.length ? "Every page found has all of them."
        : (whole === 1 ? "1 page has" : (whole || "No") + " pages have") + " all of them; the others have some, those with most first."));
    }
    ["glossary", "editors"].forEach(function (from) {
      var also = [];
      question.wanted.forEach(function (c) {
        var theirs = c.alts.filter(function (a) { return a.from === from; });
        if (theirs.length) {
          also.push("“" + theirs.map(function (a) { return a.text; }).join("”, “") + "” for “" + c.label + "”");
        }
      });
      if (!also.length) return;
      var p = element("p", from === "editors" ? "editorial" : null);
      if (from === "editors") {
        p.appendChild(element("span", "editorial-label", "The site's editors' words"));
        p.appendChild(document.createTextNode(" Also searched for, as meaning the same: " + also.join("; ") + "."));
      } else {
        p.appendChild(document.createTextNode("Also searched for, as the glossary expands them: " + also.join("; ") + "."));
      }
      explained.appendChild(p);
    });
  }

  // Filter buttons: each value of each filter that the results have, with
  // how many of them have it given the other filters chosen.
  var chosen = {};
  // The button last pressed, to keep the keyboard's place on it when the
  // buttons are drawn again with the new counts.
  var pressedLast = null;
  function passes(f, id, except) {
    return filterNames.every(function (name) {
      if (name === except || !(chosen[name] || []).length) return true;
      return chosen[name].some(function (value) {
        var ids = f.get(name) && f.get(name).get(value);
        return ids && ids.has(id);
      });
    });
  }
  function drawFilters(f, pages) {
    filterNames.forEach(function (name) {
      var box = document.getElementById("filter-" + name);
      box.textContent = "";
      var values = f.get(name);
      if (!values) return;
      ordered(name, values).forEach(function (value) {
        var ids = values.get(value);
        var n = pages.filter(function (page) { return ids.has(page.id) && passes(f, page.id, name); }).length;
        var pressed = (chosen[name] || []).indexOf(value) >= 0;
        if (!n && !pressed) return;
        var li = element("li");
        var b = element("button", null, decode(value));
        b.type = "button";
        b.setAttribute("aria-pressed", pressed ? "true" : "false");
        var c = element("span", "filter-count", " (" + n);
        c.appendChild(element("span", "visually-hidden", n === 1 ? " result" : " results"));
        c.appendChild(document.createTextNode(")"));
        b.appendChild(c);
        b.addEventListener("click", function () {
          var now = (chosen[name] || []).filter(function (v) { return v !== value; });
          if (!pressed) now.push(value);
          chosen[name] = now;
          pressedLast = document.activeElement === b ? name + "\n" + value : null;
          show(typed);
        });
        li.appendChild(b);
        box.appendChild(li);
        if (pressedLast === name + "\n" + value) {
          pressedLast = null;
          b.focus();
        }
      });
    });
  }

  var typed = "";
  function updateAddress() {
    var next = new URLSearchParams();
    if (typed) next.set("q", typed);
    filterNames.forEach(function (name) {
      (chosen[name] || []).forEach(function (value) { next.append(name, decode(value)); });
    });
    var search = next.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  // Shows the results of `question` (or, with none, the pages the chosen
  // filters hold), drawing each as soon as it and those before it are in.
  var generation = 0;
  function show(question) {
    typed = question;
    var mine = ++generation;
    updateAddress();
    list.setAttribute("aria-busy", "true");
    pagefind().then(function (p) {
      return loadFacets(p).then(function (f) {
        var asked = question ? ask(question) : null;
        return (asked ? rank(p, f, asked) : Promise.resolve(everything(f))).then(function (pages) {
          if (mine !== generation) return;
          var filtering = filterNames.some(function (name) { return (chosen[name] || []).length; });
          var shown = asked || filtering ? pages.filter(function (page) { return passes(f, page.id, null); }) : [];
          drawFilters(f, pages);
          if (asked) {
            describe(asked, shown, question);
          } else {
            summary.textContent = filtering ? count(shown.length) + " in the filters chosen" : "";
            explained.textContent = "";
          }
          list.textContent = "";
          list.setAttribute("data-query", question);
          draw(shown, asked, mine);
        });
      });
    }).catch(function () {
      if (mine !== generation) return;
      summary.textContent = "Search could not load. Every objective, priority and principle is listed in the A to Z.";
      list.setAttribute("aria-busy", "false");
    });
  }
  function count(n) {
    return n === 1 ? "1 page" : (n || "No") + " pages";
  }
  // Every page, commitments first: what filters choose from without a question.
  function everything(f) {
    var pages = [];
    f.pages.forEach(function (result, id) {
      var kind = f.kindOf.get(id);
      pages.push({ id: id, kind: kind, results: [result], value: weightOf(kind) });
    });
    return pages.sort(function (a, b) { return b.value - a.value || (a.id < b.id ? -1 : 1); });
  }

  // Each page's text comes from Pagefind a page at a time. A question
  // can match thousands of pages on a large site, so their texts are asked
  // for a batch at a time, the next batch when the reader asks for it;
  // within a batch all are asked for at once, and each is drawn once those
  // before it are, so the list is in order and every entry is a working link.
  var BATCH = 50;
  var more = document.getElementById("search-more");
  var moreButton = more.querySelector("button");
  var moreBatch = null;
  moreButton.addEventListener("click", function () { if (moreBatch) moreBatch(); });
  function draw(pages, question, mine) {
    var drawn = 0;
    function batch(focusFirst) {
      more.hidden = true;
      moreBatch = null;
      var these = pages.slice(drawn, drawn + BATCH);
      drawn += these.length;
      var ready = [];
      var next = 0;
      var first = null;
      function flush() {
        while (next < these.length && ready[next]) {
          if (mine !== generation) return;
          // A page whose text could not be fetched is left out, not held up.
          if (ready[next] !== "failed") {
            var li = list.appendChild(result(ready[next], these[next], question));
            first = first || li;
          }
          next++;
        }
        if (next < these.length || mine !== generation) return;
        list.setAttribute("aria-busy", "false");
        if (focusFirst && first) first.querySelector("a").focus();
        var left = pages.length - drawn;
        if (left > 0) {
          moreButton.textContent = "Show " + Math.min(left, BATCH) + " more (" + left + " not shown yet)";
          moreBatch = function () { list.setAttribute("aria-busy", "true"); batch(true); };
          more.hidden = false;
        }
      }
      if (!these.length) { flush(); return; }
      these.forEach(function (page, n) {
        page.results[0].data().then(function (data) { ready[n] = data; flush(); }, function () {
          ready[n] = "failed";
          flush();
        });
      });
    }
    batch(false);
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value.trim()); }, 250);
  });
  root.querySelector("form").addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    show(input.value.trim());
  });

  var params = new URLSearchParams(window.location.search);
  var query = params.get("q") || "";
  var wantedFilters = {};
  filterNames.forEach(function (name) {
    var values = params.getAll(name).filter(Boolean);
    if (values.length) wantedFilters[name] = values;
  });
  root.classList.add("search-ready");
  input.value = query;
  if (Object.keys(wantedFilters).length) details.open = true;
  // The address names filters as they read; the index holds them escaped.
  pagefind().then(loadFacets).then(function (f) {
    filterNames.forEach(function (name) {
      var values = f.get(name);
      chosen[name] = [];
      if (!values) return;
      values.forEach(function (ids, value) {
        if ((wantedFilters[name] || []).indexOf(decode(value)) >= 0) chosen[name].push(value);
      });
    });
    show(query);
  }, function () { show(query); });
})();

// As-you-type suggestions for the search box: asks /suggest (a few ms) and lists the things
// found as links below the box. Without JavaScript the form still searches on submit.
(function () {
  "use strict";
  var input = document.querySelector("form[role=search] input[name=q]");
  var list = document.getElementById("suggestions");
  if (!input || !list || !window.fetch) return;
  var lang = document.documentElement.lang || "en";
  // a language the reader chose (?lang= on this page) goes on with the links (page_links.py)
  var chosen = new URLSearchParams(location.search).get("lang");
  var timer = null;
  var asked = "";

  function show(query, results) {
    if (query !== input.value.trim()) return; // an answer to an older keystroke
    list.textContent = "";
    results.forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      var target = new URL(result.url, location.href);
      if (chosen) target.searchParams.set("lang", chosen);
      link.href = target.toString();
      link.textContent = result.label;
      // a name in another language than the page's (a fallback) is marked as such
      if (result.label_lang && result.label_lang !== lang) link.lang = result.label_lang;
      item.appendChild(link);
      if (result.matched) {
        var other = document.createElement("small");
        other.textContent = " (" + result.matched + ")";
        if (result.matched_lang && result.matched_lang !== lang) other.lang = result.matched_lang;
        item.appendChild(other);
      }
      list.appendChild(item);
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var query = input.value.trim();
      if (query === asked) return;
      asked = query;
      if (!query) { list.textContent = ""; return; }
      var url = "/suggest?limit=8&lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (answer) { show(query, answer.results); })
        .catch(function () {});
    }, 120);
  });
})();

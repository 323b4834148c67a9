/* The SPARQL editor: YASGUI's editor (Yasqe) and results (Yasr) over the page's plain form.
   Without JavaScript the form still runs the query on the server; with it, the textarea
   becomes an editor with highlighting, completion of our ontology's terms, Ctrl+Enter, and
   a results table with sorting and paging. Nothing is fetched from another origin: YASGUI's
   completers that ask Linked Open Vocabularies are left out and ours read the page. */
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  if (!form || !textarea || !window.Yasgui) return;
  var Yasqe = window.Yasgui.Yasqe, Yasr = window.Yasgui.Yasr;
  var termsElement = document.getElementById("query-terms");
  var terms = termsElement ? JSON.parse(termsElement.textContent) : {classes: [], properties: [], prefixes: {}};

  function fromList(list) {
    return function (yasqe, token) {
      var wanted = (token && (token.autocompletionString || token.string)) || "";
      return list.filter(function (iri) { return iri.indexOf(wanted) === 0 || iri.toLowerCase().indexOf(wanted.toLowerCase()) >= 0; }).slice(0, 100);
    };
  }
  // the same positions and IRI handling as YASGUI's own completers, with our terms
  Yasqe.forkAutocompleter("property", {name: "near-property", get: fromList(terms.properties), bulk: false, autoShow: true}, false);
  Yasqe.forkAutocompleter("class", {name: "near-class", get: fromList(terms.classes), bulk: false, autoShow: true}, false);

  var holder = document.createElement("div");
  holder.className = "query-editor";
  textarea.parentNode.insertBefore(holder, textarea.nextSibling);
  textarea.hidden = true;
  var yasqe = new Yasqe(holder, {
    value: textarea.value,
    persistenceId: null,
    autocompleters: ["prefixes", "variables", "near-property", "near-class"],
    requestConfig: {endpoint: form.getAttribute("action"), method: "POST",
                    acceptHeaderSelect: "application/sparql-results+json,application/problem+json;q=0.8,*/*;q=0.5",
                    acceptHeaderGraph: "text/turtle,*/*;q=0.9"},
    createShareableLink: null,
    showQueryButton: true,
    resizeable: true,
    editorHeight: "320px"
  });
  yasqe.getWrapperElement().setAttribute("aria-label", document.querySelector("label[for=query]").textContent);
  var resultsHolder = document.getElementById("query-results");
  var yasr = new Yasr(resultsHolder, {
    persistenceId: null,
    prefixes: Object.assign({}, terms.prefixes),
    pluginOrder: ["table", "response"],
    defaultPlugin: "table"
  });

  function markLine(line) {
    if (!line) return;
    var index = Math.max(0, Math.min(yasqe.lineCount() - 1, line - 1));
    yasqe.addLineClass(index, "background", "query-error-line");
    yasqe.setCursor({line: index, ch: 0});
  }
  function clearMarks() {
    for (var i = 0; i < yasqe.lineCount(); i++) yasqe.removeLineClass(i, "background", "query-error-line");
  }
  // an error the server found when the form was sent without the editor
  var serverError = document.getElementById("query-error");
  if (serverError && serverError.dataset.line) markLine(parseInt(serverError.dataset.line, 10));

  yasqe.on("change", function () { textarea.value = yasqe.getValue(); });
  yasqe.on("query", function () {
    clearMarks();
    var server = document.getElementById("server-results");
    if (server) server.hidden = true;
    var url = form.getAttribute("action") + "?" + new URLSearchParams({query: yasqe.getValue()}).toString();
    history.replaceState(null, "", url);
  });
  yasqe.on("queryResponse", function (editor, response, duration) {
    yasr.setResponse(response, duration);
    var problem = response && response.response && response.response.body;
    if (problem && typeof problem === "object" && problem.line) markLine(problem.line);
    else if (response && response.response && typeof response.response.text === "string") {
      try { var parsed = JSON.parse(response.response.text); if (parsed.line) markLine(parsed.line); } catch (e) { /* not a problem document */ }
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    yasqe.query();
  });
})();

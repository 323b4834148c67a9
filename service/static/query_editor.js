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
  // what assistive technology needs from CodeMirror: a name for its input, and the scrolled
  // area reachable by keyboard (focusing it puts the cursor in the editor)
  var editorName = document.querySelector("label[for=query]").textContent;
  yasqe.getInputField().setAttribute("aria-label", editorName);
  var scroller = yasqe.getScrollerElement();
  scroller.setAttribute("tabindex", "0");
  scroller.setAttribute("aria-label", editorName);
  scroller.addEventListener("focus", function () { yasqe.focus(); });
  var wordsElement = document.getElementById("query-words");
  var words = wordsElement ? JSON.parse(wordsElement.textContent) : {};
  var table = Yasr.plugins && Yasr.plugins.table;
  if (table && table.defaults && table.defaults.tableConfig && words.info) {
    table.defaults.tableConfig.language = Object.assign({}, table.defaults.tableConfig.language, {
      info: words.info, infoEmpty: words.infoEmpty, infoFiltered: words.infoFiltered,
      zeroRecords: words.zeroRecords, emptyTable: words.emptyTable,
      aria: {orderable: ": " + words.sort, orderableReverse: ": " + words.sortReverse,
             orderableRemove: ": " + words.sortRemove,
             paginate: {first: words.first, previous: words.previous, next: words.next, last: words.last}}
    });
  }
  var resultsHolder = document.getElementById("query-results");
  // YASGUI's error panel is in English ("Error (#400)", "Try query in a new browser
  // window"): draw our own, in the page's words, as the server draws it without the editor
  function problemOf(error) {
    try { var parsed = JSON.parse(error.text || ""); return typeof parsed === "object" && parsed ? parsed : {}; }
    catch (e) { return {}; }
  }
  function drawError(error) {
    var problem = problemOf(error);
    var panel = document.createElement("div");
    panel.className = "query-error";
    panel.setAttribute("role", "alert");
    var heading = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = words.couldNotRun + (error.status ? " (" + error.status + ")" : "");
    heading.appendChild(strong);
    if (problem.line) heading.appendChild(document.createTextNode(" " + words.lineColumn
      .replace("%(line)s", problem.line).replace("%(column)s", problem.column || 1)));
    panel.appendChild(heading);
    var detail = problem.detail || problem.title || error.text;
    if (detail) {
      var details = document.createElement("details");
      var summary = document.createElement("summary");
      summary.textContent = words.parserMessage;
      var message = document.createElement("p");
      message.lang = "en";  // the parser's and the protocol's messages are English
      var code = document.createElement("code");
      code.textContent = detail;
      message.appendChild(code);
      details.appendChild(summary);
      details.appendChild(message);
      panel.appendChild(details);
    }
    return panel;
  }
  var yasr = new Yasr(resultsHolder, {
    errorRenderers: [drawError],
    persistenceId: null,
    prefixes: Object.assign({}, terms.prefixes),
    pluginOrder: ["table", "response"],
    defaultPlugin: "table"
  });

  // only a change: the observers below watch these attributes, and writing the same value
  // again would wake them for ever
  function setAttribute(element, name, value) {
    if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  }
  function translateNames(root) {
    root.querySelectorAll("[aria-label], [title]").forEach(function (element) {
      ["aria-label", "title"].forEach(function (name) {
        var value = (element.getAttribute(name) || "").trim();
        if (words[value]) setAttribute(element, name, words[value]);
      });
    });
  }
  // YASGUI writes its controls in English: put them in the page's language, name the help
  // icon and the page-size menu (assistive technology reads neither otherwise)
  function nameIcons() {
    resultsHolder.querySelectorAll("a.yasr_external_ref_btn").forEach(function (link) {
      ["aria-label", "title"].forEach(function (name) {  // YASGUI's is "View documentation of …"
        setAttribute(link, name, form.dataset.help);
      });
    });
    resultsHolder.querySelectorAll("*").forEach(function (element) {
      if (element.children.length) return;
      var text = element.textContent.trim();
      if (words[text] && element.textContent !== words[text]) element.textContent = words[text];
      var took = text.match(/^Response in ([\d.]+) seconds$/);
      var tookSaid = took && words.responseIn.replace("%(seconds)s", took[1]);
      if (took && tookSaid !== element.textContent) element.textContent = tookSaid;
      var moreWords = text.match(/^(\d+) results in ([\d.]+) seconds$/);
      if (moreWords) {
        var said = moreWords[1] + " " + words.results + " " + moreWords[2] + " " + words.seconds;
        // only a change: writing the same text again would wake this observer for ever
        if (said !== element.textContent) element.textContent = said;
      }
    });
    translateNames(resultsHolder);
    resultsHolder.querySelectorAll("button.yasr_btn[aria-label] > span").forEach(function (span) {
      setAttribute(span.parentNode, "aria-label", span.textContent);  // the name one reads
    });
    resultsHolder.querySelectorAll("input.tableFilter").forEach(function (input) {
      setAttribute(input, "placeholder", words["Filter query results"]);
      setAttribute(input, "aria-label", words["Filter query results"]);
    });
    resultsHolder.querySelectorAll("select:not([aria-label])").forEach(function (select) {
      setAttribute(select, "aria-label", words["Page size:"]);
    });
  }
  nameIcons();
  new MutationObserver(nameIcons).observe(resultsHolder, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["title", "aria-label"]
  });

  // the editor's own English: the run button's name and the tooltip of a line's error mark
  // (Yasqe rewrites both as one types, so they are put right again after each change)
  var invalidLine = "This line is invalid. Expected: ";
  function nameEditorParts() {
    translateNames(holder);
    holder.querySelectorAll(".yasqe_tooltip").forEach(function (tip) {
      if (tip.innerHTML.indexOf(invalidLine) === 0) {
        tip.innerHTML = words.invalidLine + " " + tip.innerHTML.slice(invalidLine.length);
      }
    });
  }
  nameEditorParts();
  new MutationObserver(nameEditorParts).observe(holder, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["title", "aria-label"]
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

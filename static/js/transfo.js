// Progressive enhancement only: every page works without this file.
// The strict CSP forbids inline scripts, hence one file, loaded with `defer`.
(function () {
  "use strict";
  // A button that shows or hides the element it controls (navigation, filters on a phone).
  function disclosure(button, target) {
    if (!button || !target || button.dataset.enhanced) return;
    button.dataset.enhanced = "1";
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      target.classList.toggle("is-open", open);
      if (open && target.matches(".filters")) {
        var first = target.querySelector("select, input");
        if (first) first.focus();
      }
    });
  }

  function setUp(root) {
    root.querySelectorAll("[data-disclosure]").forEach(function (button) {
      disclosure(button, document.getElementById(button.getAttribute("aria-controls")));
    });
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      if (button.dataset.enhanced) return;
      button.dataset.enhanced = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = button.getAttribute("data-copy");
        var status = document.getElementById(button.getAttribute("data-status"));
        var done = function () { if (status) status.textContent = button.getAttribute("data-done"); };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
        } else { fallback(text); done(); }
      });
    });
    root.querySelectorAll("select[data-searchable]").forEach(searchable);
  }

  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* the address stays visible on the page */ }
    area.remove();
  }

  // A long select gets a text box that narrows its options as one types (the select stays).
  function searchable(select) {
    if (select.dataset.enhanced) return;
    select.dataset.enhanced = "1";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-1";
    input.id = select.id + "-recherche";
    input.setAttribute("aria-label", select.getAttribute("data-searchable"));
    input.setAttribute("placeholder", select.getAttribute("data-searchable"));
    input.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(input, select);
    // Typing here narrows the options; it must not send the filter form.
    input.addEventListener("change", function (event) { event.stopPropagation(); });
    var fold = function (text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    };
    input.addEventListener("input", function () {
      var wanted = fold(input.value.trim());
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = option.value !== "" && wanted !== "" && fold(option.text).indexOf(wanted) === -1;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    if (toggle) toggle.setAttribute("data-disclosure", "");
    setUp(document);
  });
  // Filters left at « Tous » stay out of the address, so that a shared list's URL is short.
  document.addEventListener("htmx:configRequest", function (event) {
    var parameters = event.detail.parameters;
    if (event.detail.verb !== "get" || !parameters) return;
    var empty = [];
    for (var pair of (parameters.entries ? parameters.entries() : Object.entries(parameters))) {
      if (pair[1] === "") empty.push(pair[0]);
    }
    empty.forEach(function (name) {
      if (parameters.delete) parameters.delete(name); else delete parameters[name];
    });
  });

  // Parts of the page replaced by htmx get the same behaviour, and filters opened on a phone
  // stay open while the visitor changes them.
  var filtersOpen = false;
  document.addEventListener("htmx:beforeSwap", function () {
    filtersOpen = !!document.querySelector(".filters.is-open");
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    setUp(event.detail.elt);
    var filters = document.getElementById("filtres");
    var button = document.querySelector("[aria-controls='filtres'][data-disclosure]");
    if (filtersOpen && filters && button) {
      filters.classList.add("is-open");
      button.setAttribute("aria-expanded", "true");
    }
  });
})();

/* presslens: the article page's behaviour (layer toggles, an item's details and evidence); a no-op on other pages.
   Items are found by their data-item ids ("event-3"); details are cloned from the server's escaped <template>s,
   never built from markup strings, so no article text is ever parsed as HTML here. */
(function () {
  "use strict";

  var text = document.getElementById("text");
  var detail = document.getElementById("detail");
  if (!text || !detail || !document.getElementById("article")) {
    return;
  }
  var hint = Array.prototype.slice.call(detail.childNodes).map(function (node) { return node.cloneNode(true); });

  function byItem(item) {
    return document.querySelectorAll('[data-item="' + CSS.escape(item) + '"]');
  }

  function entryOf(item) {
    return document.querySelector('.entry[data-item="' + CSS.escape(item) + '"]');
  }

  function clear() {
    document.querySelectorAll(".selected").forEach(function (node) { node.classList.remove("selected"); });
  }

  function reset() {
    clear();
    detail.replaceChildren.apply(detail, hint.map(function (node) { return node.cloneNode(true); }));
  }

  /* Select an item: mark its spans, its entry and its sentences, show its details; scroll the text to it when asked. */
  function select(item, scroll) {
    clear();
    byItem(item).forEach(function (node) { node.classList.add("selected"); });
    var entry = entryOf(item);
    var sentences = entry && entry.dataset.sentences ? entry.dataset.sentences.split(" ") : [];
    sentences.forEach(function (index) {
      text.querySelectorAll('[data-sentence="' + CSS.escape(index) + '"]').forEach(function (node) { node.classList.add("selected"); });
    });
    var why = entry ? entry.querySelector("template.why") : null;
    if (why) {
      detail.replaceChildren(why.content.cloneNode(true));
    } else {
      var none = document.createElement("p");
      none.className = "muted";
      none.textContent = "No details for " + item + ".";
      detail.replaceChildren(none);
    }
    if (scroll) {
      var target = text.querySelector('[data-item="' + CSS.escape(item) + '"]') ||
        (sentences.length ? text.querySelector('[data-sentence="' + CSS.escape(sentences[0]) + '"]') : null);
      if (target) {
        target.scrollIntoView({ block: "center", behavior: "smooth" });
      }
    }
  }

  /* A click in the text selects the innermost item there; a second click on it selects the one around it. */
  text.addEventListener("click", function (event) {
    var hit = event.target instanceof Element ? event.target.closest("[data-item]") : null;
    if (hit && hit.classList.contains("selected")) {
      var outer = hit.parentElement ? hit.parentElement.closest("[data-item]") : null;
      hit = outer || hit;
    }
    if (hit) {
      select(hit.dataset.item, false);
    }
  });

  /* A click on a panel entry or a heat-strip block selects it and shows it in the text. */
  document.querySelectorAll("#panels, #heat").forEach(function (container) {
    container.addEventListener("click", function (event) {
      var entry = event.target instanceof Element ? event.target.closest(".entry[data-item]") : null;
      if (entry && container.contains(entry)) {
        event.preventDefault();
        select(entry.dataset.item, true);
      }
    });
  });

  /* One checkbox per layer: unchecked hides that layer's highlights. */
  document.querySelectorAll("#layers input[data-layer]").forEach(function (toggle) {
    function apply() {
      text.classList.toggle("hide-" + toggle.dataset.layer, !toggle.checked);
    }
    toggle.addEventListener("change", apply);
    apply();  // a browser may restore an unchecked box on back navigation
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      reset();
    }
  });

  /* A link to an entry (/articles/ID#event-e3, from the events table) selects it, on load and when the fragment changes. */
  function fromHash() {
    var linked = null;
    try {
      linked = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    } catch (error) {
      linked = null;  // a malformed escape in the fragment: nothing to select
    }
    if (linked && linked.classList.contains("entry") && linked.dataset.item) {
      select(linked.dataset.item, true);
    }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();

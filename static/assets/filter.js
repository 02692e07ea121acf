// Filters the article list of an archive page by domain, publisher and year (the choices and
// their counts are those of the page's own articles). Progressive enhancement: without this
// script the whole list shows and the controls stay hidden.
// The choice is kept in the address (#domains=industry&year=2025), so a filtered list can be linked.
(function () {
  "use strict";
  var controls = document.querySelector("[data-filter-controls]");
  var list = document.querySelector("[data-filter-list]");
  if (!controls || !list) return;
  var selects = Array.prototype.slice.call(controls.querySelectorAll("select[data-filter]"));
  var items = Array.prototype.slice.call(list.children);
  var count = document.querySelector("[data-filter-count]");
  var empty = document.querySelector("[data-filter-empty]");
  var reset = controls.querySelector("[data-filter-reset]");

  function matches(item, key, want) {
    if (!want) return true;
    var have = item.getAttribute("data-" + key) || "";
    return key === "domains" ? have.split(" ").indexOf(want) >= 0 : have === want;
  }

  function apply(updateHash) {
    var shown = 0;
    var state = [];
    items.forEach(function (item) {
      var ok = selects.every(function (s) {
        return matches(item, s.getAttribute("data-filter"), s.value);
      });
      item.hidden = !ok;
      if (ok) shown += 1;
    });
    selects.forEach(function (s) {
      if (s.value) state.push(s.getAttribute("data-filter") + "=" + encodeURIComponent(s.value));
    });
    if (count) count.textContent = shown === items.length ? items.length + " 篇" : shown + " / " + items.length + " 篇";
    if (empty) empty.hidden = shown > 0;
    if (updateHash && window.history && history.replaceState) {
      history.replaceState(null, "", state.length ? "#" + state.join("&") : location.pathname + location.search);
    }
  }

  function fromHash() {
    var hash = location.hash.replace(/^#/, "");
    if (hash.indexOf("=") < 0) return;
    selects.forEach(function (s) { s.value = ""; });
    hash.split("&").forEach(function (pair) {
      var kv = pair.split("=");
      var value = decodeURIComponent(kv[1] || "");
      selects.forEach(function (s) {
        if (s.getAttribute("data-filter") === kv[0]) {
          var known = Array.prototype.some.call(s.options, function (o) { return o.value === value; });
          if (known) s.value = value;
        }
      });
    });
  }

  selects.forEach(function (s) {
    s.addEventListener("change", function () { apply(true); });
  });
  if (reset) {
    reset.addEventListener("click", function () {
      selects.forEach(function (s) { s.value = ""; });
      apply(true);
    });
  }
  window.addEventListener("hashchange", function () {
    fromHash();
    apply(false);
  });
  controls.hidden = false;
  fromHash();
  apply(false);
})();

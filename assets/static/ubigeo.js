// Progressive enhancement for the department → province → district pickers:
// without this script the form works by submitting "Elegir" buttons; with
// it, the lists fill in place. Loaded as a file: the CSP allows no inline
// script.
(function () {
  "use strict";
  function fill(select, items, placeholder) {
    select.innerHTML = "";
    var first = document.createElement("option");
    first.value = "";
    first.textContent = placeholder;
    select.appendChild(first);
    items.forEach(function (p) {
      var o = document.createElement("option");
      o.value = p.code;
      o.textContent = p.name;
      select.appendChild(o);
    });
  }
  function wire(prefix) {
    var dep = document.getElementById(prefix + "-dep");
    var prov = document.getElementById(prefix + "-prov");
    var dist = document.getElementById(prefix + "-dist");
    if (!dep || !prov || !dist) { return; }
    document.querySelectorAll("button[data-picker='" + prefix + "']").forEach(function (b) { b.hidden = true; });
    dep.addEventListener("change", function () {
      fetch("/api/v1/ubigeo/provincias?dep=" + encodeURIComponent(dep.value))
        .then(function (r) { return r.json(); })
        .then(function (items) { fill(prov, items, prov.dataset.placeholder); fill(dist, [], dist.dataset.placeholder); });
    });
    prov.addEventListener("change", function () {
      fetch("/api/v1/ubigeo/distritos?prov=" + encodeURIComponent(prov.value))
        .then(function (r) { return r.json(); })
        .then(function (items) { fill(dist, items, dist.dataset.placeholder); });
    });
  }
  wire("student");
  wire("guardian");
})();

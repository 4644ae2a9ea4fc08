// The guardian's block of the request form shows only for a guardian's
// request. Without this script the server does the same after a submit.
// Loaded as a file: the CSP allows no inline script.
(function () {
  "use strict";
  var block = document.getElementById("guardian-block");
  var adult = document.getElementById("who-adult");
  var guardian = document.getElementById("who-guardian");
  if (!block || !adult || !guardian) { return; }
  function show() { block.hidden = !guardian.checked; }
  adult.addEventListener("change", show);
  guardian.addEventListener("change", show);
  show(); // until a guardian's request is chosen, it does not apply
})();

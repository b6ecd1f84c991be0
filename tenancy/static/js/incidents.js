/* Live incident list: reload the page every N seconds (data-refresh-seconds on #reload), unless
   the user is filling in the filter form. No inline script: the page's CSP allows only 'self'. */
(function () {
  "use strict";
  var link = document.getElementById("reload");
  if (!link) { return; }
  var seconds = parseInt(link.getAttribute("data-refresh-seconds"), 10);
  if (!(seconds >= 15)) { return; }
  var busy = false;
  document.addEventListener("focusin", function (event) {
    busy = !!(event.target && event.target.closest && event.target.closest("form"));
  });
  document.addEventListener("focusout", function () { busy = false; });
  window.setInterval(function () {
    if (!busy && document.visibilityState !== "hidden") { window.location.reload(); }
  }, seconds * 1000);
})();

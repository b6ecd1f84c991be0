/* Dashboards: draw the Plotly figures embedded as JSON data blocks, follow drill-down clicks,
   and sort the tables marked .sortable. No inline script: the page's CSP allows only 'self'. */
(function () {
  "use strict";

  var CONFIG = { displaylogo: false, showSendToCloud: false, responsive: true,
                 modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function drawCharts() {
    if (typeof window.Plotly === "undefined") { return; }
    var boxes = document.querySelectorAll(".plotly-chart[data-figure]");
    Array.prototype.forEach.call(boxes, function (el) {
      var block = document.getElementById(el.getAttribute("data-figure"));
      if (!block) { return; }
      var fig = JSON.parse(block.textContent);
      var staticPlot = document.body.classList.contains("dash-print");
      window.Plotly.newPlot(el, fig.data, fig.layout,
        Object.assign({}, CONFIG, staticPlot ? { staticPlot: true, responsive: false } : {}));
      el.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var url = point && point.customdata;
        // Only same-site paths the server put there.
        if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") {
          window.location.assign(url);
        }
      });
    });
  }

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (!numeric) { return raw; }
    var value = parseFloat(raw);
    return isNaN(value) ? -1 : value;
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var kind = th.getAttribute("data-sort");
      if (!kind) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) {
          if (other.hasAttribute("data-sort")) { other.setAttribute("aria-sort", "none"); }
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var numeric = kind === "num";
        rows.sort(function (a, b) {
          var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
          var order = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function init() {
    drawCharts();
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());

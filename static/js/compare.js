// The comparison in the static copy of the site, where no server reads ?departments=…:
// read the choice from the address, the figures from the city statistics' JSON twin, and
// the departments' names (already in the page's language) from the page's own table.
(function () {
  "use strict";
  var box = document.getElementById("compare-static");
  var chosen = new URLSearchParams(window.location.search).getAll("departments");
  if (!box || chosen.length < 2 || !window.fetch) { return; }
  var lang = document.documentElement.lang || "zh-CN";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  var score = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var percent = new Intl.NumberFormat(lang, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var columns = [
    ["score", score], ["rank", null], ["complaints", number], ["substantiated_share", percent],
    ["within_limit_share", percent], ["median_days", number], ["commitments", number],
    ["average_compression", percent]
  ];
  var source = document.querySelector(".compare-form thead tr");
  var head = box.querySelector("thead tr");
  Array.prototype.slice.call(source.children, 1).forEach(function (th) {
    head.appendChild(th.cloneNode(true));
  });
  function cell(row, tag, text) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (tag === "td") { node.className = "num"; }
    row.appendChild(node);
  }
  fetch(box.getAttribute("data-twin")).then(function (answer) { return answer.json(); }).then(function (stats) {
    var body = box.querySelector("tbody");
    var byCode = {};
    stats.departments.forEach(function (row) { byCode[row.department.code] = row; });
    chosen.forEach(function (code) {
      var row = byCode[code];
      var label = document.querySelector('label[for="cmp-' + CSS.escape(code) + '"]');
      var input = document.getElementById("cmp-" + code);
      if (!row || !label) { return; }
      if (input) { input.checked = true; }
      var tr = document.createElement("tr");
      cell(tr, "th", label.textContent);
      columns.forEach(function (column) {
        var value = row[column[0]];
        var text = value === null ? "—" : (column[0] === "rank" ? value + " / " + row.of : column[1].format(value));
        cell(tr, "td", text);
      });
      body.appendChild(tr);
    });
    if (body.children.length >= 2) {
      box.hidden = false;
      document.getElementById("compare-prompt").hidden = true;
    }
  });
}());

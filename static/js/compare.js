// The comparison in the static copy of the site, where no server reads ?departments=…:
// read the choice from the address, the figures from the city statistics' JSON twin, and
// the departments' names (already in the page's language) from the page's own table; then
// draw the comparison's charts as the server draws them (portal/stats/drawing.py: horizontal
// bars in the Okabe–Ito blue, each value written after its bar), each with its data table.
// A visitor may choose any few of the departments, too many sets to draw at export time.
(function () {
  "use strict";
  var box = document.getElementById("compare-static");
  var chosen = new URLSearchParams(window.location.search).getAll("departments");
  // One department named (a scorecard's "compare with others" links to #cmp-<code>): tick it, so the
  // visitor only adds the others.
  var hash = window.location.hash.indexOf("#cmp-") === 0 ? [decodeURIComponent(window.location.hash.slice(5))] : [];
  var one = document.getElementById("cmp-" + (chosen.length === 1 ? chosen : hash)[0]);
  if (one && one.type === "checkbox") { one.checked = true; }
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
  var head = box.querySelector("thead").appendChild(document.createElement("tr"));
  Array.prototype.slice.call(source.children, 1).forEach(function (th) {
    head.appendChild(th.cloneNode(true));
  });
  function cell(row, tag, text) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (tag === "td") { node.className = "num"; }
    row.appendChild(node);
  }
  var formats = { share: percent, score: score, count: new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }) };
  var SVG = "http://www.w3.org/2000/svg";
  // As stats/drawing.py sizes a horizontal bar chart: 560 wide, 30 px a bar, at least 200 high.
  var WIDTH = 560, BAR = 30, TOP = 50, FONT = 15, BLUE = "#0072B2", INK = "#1f2328", GUIDE = "#d0d7de";
  var FONTS = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  function nameOf(row) {
    return document.querySelector('label[for="cmp-' + CSS.escape(row.department.code) + '"]').textContent;
  }
  function svgNode(tag, attributes, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  // A text's width in px: a Han character is a whole em, others about 0.6 em (as drawing.py reckons).
  function textWidth(text) {
    return Array.from(text).reduce(function (sum, ch) {
      return sum + (/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 1 : 0.6);
    }, 0) * FONT;
  }
  function formatted(plan, value) { return value === null || value === undefined ? "—" : formats[plan.unit].format(value); }

  function drawing(plan, labels, values) {
    var height = Math.max(200, 90 + BAR * labels.length);
    var left = Math.min(WIDTH / 2, 12 + Math.max.apply(null, labels.map(textWidth)));
    var room = WIDTH - left - 20 - Math.max.apply(null, values.map(function (v) { return textWidth(formatted(plan, v)); }));
    var top = values.reduce(function (m, v) { return v !== null && v > m ? v : m; }, 0) || 1;
    var svg = svgNode("svg", { xmlns: SVG, viewBox: "0 0 " + WIDTH + " " + height, width: WIDTH, height: height,
                                role: "img", "font-family": FONTS, "font-size": FONT, fill: INK });
    svg.appendChild(svgNode("rect", { width: WIDTH, height: height, fill: "#ffffff" }));
    svg.appendChild(svgNode("text", { x: WIDTH / 2, y: 26, "text-anchor": "middle", "font-size": 17 }, plan.title));
    svg.appendChild(svgNode("line", { x1: left, x2: left, y1: TOP - 6, y2: TOP + BAR * labels.length, stroke: GUIDE }));
    labels.forEach(function (label, i) {
      var y = TOP + BAR * i, value = values[i];
      svg.appendChild(svgNode("text", { x: left - 6, y: y + BAR / 2 + 5, "text-anchor": "end" }, label));
      var length = value ? Math.max(1, room * value / top) : 0;
      if (length) {
        svg.appendChild(svgNode("rect", { x: left, y: y + 4, width: length.toFixed(1), height: BAR - 8, fill: BLUE }));
      }
      svg.appendChild(svgNode("text", { "class": "value", x: (left + length + 5).toFixed(1), y: y + BAR / 2 + 5 },
                              formatted(plan, value)));
    });
    return svg;
  }

  function drawCharts(rows) {
    var grid = box.querySelector(".chart-grid");
    var labels = rows.map(nameOf);
    // One template per chart, its words in the page's language (a Traditional page is converted whole).
    Array.prototype.forEach.call(document.querySelectorAll("template.compare-chart"), function (template) {
      var figure = template.content.firstElementChild.cloneNode(true);
      var plan = { name: template.getAttribute("data-name"), unit: template.getAttribute("data-unit"),
                   title: figure.querySelector(".chart-title").textContent };
      var values = rows.map(function (row) { return row[template.getAttribute("data-figure")]; });
      if (values.every(function (v) { return v === null || v === 0; })) { return; }  // nothing to draw
      figure.setAttribute("data-chart", plan.name);
      var svg = drawing(plan, labels, values);
      svg.setAttribute("aria-label", plan.title + ": " + labels.map(function (label, i) {
        return label + " " + formatted(plan, values[i]);
      }).join("; "));
      figure.querySelector(".chart-image").appendChild(svg);
      var body = figure.querySelector("tbody");
      labels.forEach(function (label, i) {
        var tr = document.createElement("tr");
        cell(tr, "th", label);
        cell(tr, "td", formatted(plan, values[i]));
        tr.firstChild.setAttribute("scope", "row");
        body.appendChild(tr);
      });
      grid.appendChild(figure);
    });
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
      drawCharts(chosen.map(function (code) { return byCode[code]; }).filter(function (row) {
        return row && document.querySelector('label[for="cmp-' + CSS.escape(row.department.code) + '"]');
      }));
      box.hidden = false;
      document.getElementById("compare-prompt").hidden = true;
    }
  });
}());

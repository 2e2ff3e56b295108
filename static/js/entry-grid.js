// Entry grid: as a figure is typed, show its change on the same period last year
// and open the note box when the change is more than 50% (the server applies
// the same rule; this only saves a round trip). No inline script: CSP forbids it.
(function () {
  "use strict";
  var THRESHOLD = 50;

  function parseCount(text) {
    var cleaned = text.replace(/[,\s]/g, "");
    return /^\d+$/.test(cleaned) ? parseInt(cleaned, 10) : null;
  }

  function formatChange(pct) {
    var rounded = Math.round(pct * 10) / 10;
    if (rounded === 0) { return "0.0%"; }
    return (rounded > 0 ? "+" : "\u2212") + Math.abs(rounded).toFixed(1) + "%";
  }

  function update(input) {
    var hint = document.getElementById(input.id + "-hint");
    var change = hint && hint.querySelector(".js-change");
    var lastYear = input.getAttribute("data-last-year");
    var stored = input.getAttribute("data-stored");
    var value = parseCount(input.value);
    if (!change) { return; }
    if (value === null || lastYear === "") { change.textContent = ""; return; }
    var base = parseInt(lastYear, 10);
    var needsNote = base === 0 ? value > 0 : Math.abs(value - base) / base * 100 > THRESHOLD;
    change.textContent = base === 0 ? "" : "Change: " + formatChange((value - base) / base * 100) + ".";
    var changing = stored === "" || parseInt(stored, 10) !== value;
    if (needsNote && changing) {
      change.textContent += " A note is needed for a change of more than 50%.";
      var note = document.getElementById(input.getAttribute("data-note"));
      var details = note && note.closest("details");
      if (details) { details.open = true; }
    }
  }

  document.querySelectorAll(".app-entry-grid input[data-last-year]").forEach(function (input) {
    input.addEventListener("input", function () { update(input); });
  });
})();

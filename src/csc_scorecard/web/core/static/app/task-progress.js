// Keeps a task's page up to date while it runs; reloads it once the task has finished.
(function () {
  var box = document.getElementById("task-progress");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var status = document.getElementById("task-status");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        if (s.finished) { window.location.reload(); return; }
        status.textContent = s.status_text + (s.step ? ": " + s.step : "");
        var steps = document.getElementById("task-percent");
        if (steps && s.steps_total) { steps.textContent = s.steps_done + " of " + s.steps_total + " steps done"; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();

// The job page: poll the job's status until it is done, then offer the download.
(function () {
  var box = document.getElementById("job");
  if (!box || !box.dataset.statusUrl) { return; }
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      document.getElementById("job-progress").value = s.percent;
      document.getElementById("job-state").textContent = s.progress_text;
      var message = document.getElementById("job-message");
      message.textContent = s.message;
      message.className = s.status === "failed" ? "flash error" : "";
      if (s.has_result) { document.getElementById("job-download").hidden = false; }
      if (s.status === "queued" || s.status === "running") { setTimeout(poll, 500); }
    });
  }
  if (box.dataset.running === "1") { poll(); }
})();

// Progressive enhancement of the generated documents; everything works without it.
// - The documents panel (#documents): its buttons post without a reload, and while a file is
//   being generated the panel polls its status URL every 2 s and redraws itself.
// - The reviewer's batch page (#archive): the progress bar follows the zip being built; when it
//   is finished the page reloads to show the download link and the departments' new statuses.
//   Posting the request stays an ordinary form post (only a spinner is added).
(function () {
  "use strict";
  const POLL_MS = 2000;

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); });
  }

  function postForm(form) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json", "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) { return response.ok ? response.json() : Promise.reject(response); });
  }

  function showBusy(form) {
    const button = form.querySelector("button[type=submit]");
    if (!button) return;
    button.disabled = true;
    button.insertAdjacentHTML("afterbegin",
      '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>');
  }

  function initDocuments(panel) {
    let timer = null;

    function schedule(pending) {
      clearTimeout(timer);
      if (pending) timer = setTimeout(poll, POLL_MS);
    }

    function redraw(data) {
      const fresh = new DOMParser().parseFromString(data.html, "text/html").getElementById("documents");
      if (fresh) panel.innerHTML = fresh.innerHTML;
      schedule(data.pending);
    }

    function poll() {
      getJSON(panel.dataset.statusUrl).then(redraw).catch(function () { schedule(true); });
    }

    panel.addEventListener("submit", function (event) {
      const form = event.target;
      event.preventDefault();
      showBusy(form);
      postForm(form).then(redraw).catch(function () { form.submit(); });
    });
    schedule(panel.querySelector('[data-status="pending"]') !== null);
  }

  function initArchive(box) {
    function update(data) {
      const bar = box.querySelector(".progress-bar");
      const progress = box.querySelector(".progress");
      if (bar) bar.style.width = data.percent + "%";
      if (progress) progress.setAttribute("aria-valuenow", String(data.done));
      box.querySelectorAll("[data-field]").forEach(function (field) {
        field.textContent = String(data[field.dataset.field]);
      });
    }

    function poll(url) {
      getJSON(url).then(function (data) {
        if (data.status !== "pending") { window.location.reload(); return; }
        update(data);
        setTimeout(function () { poll(url); }, POLL_MS);
      }).catch(function () { setTimeout(function () { poll(url); }, POLL_MS); });
    }

    // The request itself is an ordinary post: the page it redirects to shows the progress.
    const form = box.querySelector("form");
    if (form) form.addEventListener("submit", function () { showBusy(form); });
    if (box.dataset.status === "pending" && box.dataset.statusUrl) poll(box.dataset.statusUrl);
  }

  const panel = document.getElementById("documents");
  if (panel) initDocuments(panel);
  const archive = document.getElementById("archive");
  if (archive) initArchive(archive);
})();

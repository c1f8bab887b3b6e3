// Progressive enhancement of the step pages; everything works without it.
// - "添加一行" adds a blank row in place instead of a round trip;
// - the score panel and the derived figures follow the inputs (server-side trial scoring);
// - leaving a page with unsaved changes asks first.
(function () {
  "use strict";
  const form = document.getElementById("step-form");
  if (!form) return;
  let dirty = false;
  let timer = null;
  let inflight = null;

  function addRow(fieldset) {
    const total = fieldset.querySelector('input[name$="-TOTAL_FORMS"]');
    const template = fieldset.querySelector("template.empty-row");
    const rows = fieldset.querySelector(".rows");
    if (!total || !template || !rows) return false;
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const first = rows.lastElementChild && rows.lastElementChild.querySelector("input, select, textarea");
    if (first) first.focus();
    return true;
  }

  form.querySelectorAll("button.add-row").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (addRow(button.closest("fieldset"))) event.preventDefault();
    });
  });

  function refresh() {
    const url = form.dataset.previewUrl;
    if (!url) return;
    if (inflight) inflight.abort();
    inflight = new AbortController();
    fetch(url, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
      signal: inflight.signal,
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.valid) return;
        const panel = document.getElementById("score-panel");
        if (panel && data.panel) panel.innerHTML = data.panel;
        const derived = document.getElementById("derived");
        if (derived && data.derived) derived.innerHTML = data.derived;
      })
      .catch(function () { /* offline or aborted: the panel updates on the next save */ });
  }

  function changed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(refresh, 450);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { dirty = false; });
  document.querySelectorAll('button[form="step-form"]').forEach(function (b) {
    b.addEventListener("click", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();

// A long job's page: asks the server how far the job is and shows it, without reloading.
// When the job made a file, its download starts; when it leads to another page (an import's
// preview), the browser goes there.
(function () {
  "use strict";
  const root = document.querySelector("[data-job]");
  if (!root) return;
  const bar = root.querySelector("[data-job-bar]");
  const fill = root.querySelector("[data-job-fill]");

  function paint(percent) {
    fill.style.width = (percent === null || percent === undefined ? 100 : percent) + "%";
  }
  paint(fill.dataset.percent === undefined ? null : Number(fill.dataset.percent));

  function show(job) {
    root.querySelector("[data-job-state]").textContent = job.state;
    root.querySelector("[data-job-step]").textContent = job.step;
    // " — 1,200 of 5,000" (or "so far" when the total is not known), in the page's language
    root.querySelector("[data-job-count]").textContent = job.count || "";
    paint(job.percent);
    fill.textContent = job.percent === null ? "" : job.percent + "%";
    if (job.percent === null) bar.removeAttribute("aria-valuenow");
    else bar.setAttribute("aria-valuenow", String(job.percent));
    bar.setAttribute("aria-valuetext", job.progress);
    const running = job.status === "queued" || job.status === "running";
    fill.classList.toggle("progress-bar-striped", running);
    fill.classList.toggle("progress-bar-animated", running);
    fill.classList.toggle("bg-success", job.status === "done");
    fill.classList.toggle("bg-danger", job.status === "failed");
  }

  function finish(job) {
    const result = root.querySelector("[data-job-result]");
    result.replaceChildren();
    if (job.status === "failed") {
      const alert = document.createElement("div");
      alert.className = "alert alert-danger";
      alert.setAttribute("role", "alert");
      const p = document.createElement("p");
      p.className = "mb-1";
      p.textContent = "⚠ " + job.message;
      alert.appendChild(p);
      if (job.problems.length) {
        const list = document.createElement("ul");
        list.className = "mb-0";
        job.problems.forEach((text) => {
          const li = document.createElement("li");
          li.textContent = text;
          list.appendChild(li);
        });
        alert.appendChild(list);
      }
      result.appendChild(alert);
      if (job.next) result.appendChild(link(job.next, "btn btn-outline-primary", job.next_label));
      return;
    }
    if (job.message) {
      const p = document.createElement("p");
      p.className = "alert alert-success";
      p.textContent = job.message;
      result.appendChild(p);
    }
    if (job.download) {
      result.appendChild(link(job.download, "btn btn-success", root.dataset.downloadAgain));
      window.location.assign(job.download); // a file: the page stays
    }
    if (job.next && job.message) result.appendChild(link(job.next, "btn btn-primary", job.next_label));
    else if (job.next) window.location.assign(job.next);
  }

  function link(href, className, text) {
    const a = document.createElement("a");
    a.className = className;
    a.href = href;
    a.textContent = text;
    return a;
  }

  function poll() {
    fetch(root.dataset.job, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then((job) => {
        show(job);
        if (job.status === "done" || job.status === "failed") finish(job);
        else window.setTimeout(poll, 600);
      })
      .catch(() => window.setTimeout(poll, 2000)); // the server may be busy or restarting
  }

  if (root.dataset.jobRunning === "yes") poll();
})();

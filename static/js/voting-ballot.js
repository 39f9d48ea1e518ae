// The ballot of a village budget, live: every change is saved at once through the ballot's small JSON address
// (the server locks the draft, so fast or parallel clicks never go over budget), the progress bar and the notes
// follow the server's answer, and a refusal is shown beside its project and read out politely.
// Without JavaScript the same form works with "Opslaan" and "Opslaan en verder".
const form = document.querySelector("form[data-ballot]");

if (form && window.fetch && window.FormData) {
  const url = form.dataset.choiceUrl;
  const token = form.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  const progressText = form.querySelector("[data-progress-text]");
  const progressBar = form.querySelector("[data-progress-bar]");
  const announcer = form.querySelector("[data-ballot-announce]");
  const saveButton = form.querySelector("[data-save-button]");
  let queue = Promise.resolve(); // one change at a time, in the order they were made
  let pending = 0;
  let submitting = false;

  if (saveButton) saveButton.hidden = true; // every change is kept already

  const announce = (message) => {
    // Emptied first, so the same message twice in a row is read out twice.
    announcer.textContent = "";
    window.setTimeout(() => { announcer.textContent = message; }, 50);
  };

  const showError = (item, input, message) => {
    const error = item.querySelector("[data-error]");
    if (error) error.textContent = message || "";
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  };

  const apply = (data) => {
    if (data.progress) {
      progressText.textContent = data.progress.text;
      progressBar.max = data.progress.max;
      progressBar.value = Math.min(data.progress.value, data.progress.max);
    }
    if (!data.choices) return;
    for (const item of form.querySelectorAll("[data-project]")) {
      const key = item.dataset.project;
      const input = item.querySelector("[data-choice]");
      const points = data.choices[key] || 0;
      if (input.type === "checkbox") input.checked = points > 0;
      else input.value = String(points);
      if (input.type === "number" && data.limits && key in data.limits) input.max = String(data.limits[key]);
      item.classList.toggle("ballot-item--chosen", points > 0);
      const note = item.querySelector("[data-note]");
      if (note && data.notes) note.textContent = data.notes[key] || "";
    }
  };

  const send = (input) => {
    const item = input.closest("[data-project]");
    const key = item.dataset.project;
    const value = input.type === "checkbox" ? (input.checked ? "1" : "0") : (input.value.trim() || "0");
    const before = input.type === "checkbox" ? !input.checked : null;
    pending += 1;
    queue = queue.then(async () => {
      const body = new FormData();
      body.append("project", key);
      body.append("points", value);
      try {
        const response = await fetch(url, {
          method: "POST", body, credentials: "same-origin",
          headers: { "X-CSRFToken": token, Accept: "application/json" },
        });
        const data = await response.json();
        apply(data);
        showError(item, input, data.error);
        if (data.error) announce(data.error);
      } catch {
        if (before !== null) input.checked = before;
        showError(item, input, form.dataset.failed);
        announce(form.dataset.failed);
      } finally {
        pending -= 1;
      }
    });
  };

  form.addEventListener("change", (event) => {
    const input = event.target.closest("[data-choice]");
    if (input) send(input);
  });

  // "Opslaan en verder" waits until every change has been saved.
  form.addEventListener("submit", (event) => {
    if (submitting || pending === 0) return;
    event.preventDefault();
    const submitter = event.submitter;
    queue.then(() => {
      submitting = true;
      form.requestSubmit(submitter);
    });
  });
}

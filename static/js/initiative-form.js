// Keeps what a resident types in the current step of "Start een initiatief" on this device
// (localStorage), so nothing is lost if the browser closes before "Opslaan en verder". The server
// keeps the draft itself after every step; this covers the step in progress. Files are never stored.
const form = document.querySelector("form[data-autosave]");
if (form && "localStorage" in window) {
  const key = form.dataset.autosave;
  const status = form.querySelector("[data-autosave-status]");
  const fields = () =>
    [...form.elements].filter(
      (el) => el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" && el.type !== "hidden" && el.type !== "submit",
    );
  const save = () => {
    const data = {};
    for (const el of fields()) data[el.name] = el.type === "checkbox" || el.type === "radio" ? el.checked : el.value;
    try {
      localStorage.setItem(key, JSON.stringify(data));
      if (status) status.textContent = form.dataset.autosaveMessage || "";
    } catch {
      /* storage full or blocked: the server-side draft still holds the earlier steps */
    }
  };
  // Restore only into empty fields and only when the server did not show errors for this post.
  let saved = null;
  try {
    saved = JSON.parse(localStorage.getItem(key) || "null");
  } catch {
    saved = null;
  }
  if (saved) {
    let restored = false;
    for (const el of fields()) {
      if (!(el.name in saved)) continue;
      if (el.type === "checkbox" || el.type === "radio") continue;
      if (!el.value && saved[el.name]) {
        el.value = saved[el.name];
        restored = true;
      }
    }
    if (restored && status) status.textContent = form.dataset.restoredMessage || "";
  }
  let timer = null;
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(save, 400);
  });
  form.addEventListener("change", save);
  // Once the step is sent, the server has it: forget the local copy.
  form.addEventListener("submit", () => localStorage.removeItem(key));
}

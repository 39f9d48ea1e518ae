// The letters page while the letters are made: asks how far they are every two seconds and shows it; reloads the
// page once they are ready (or the job failed), so the download button (or the reason) appears.
const box = document.getElementById("letters-status");
const progress = document.getElementById("letters-progress");
const text = document.getElementById("letters-progress-text");
let lastTold = -1;

async function ask() {
  try {
    const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    const status = await response.json();
    if (status.state !== "waiting" && status.state !== "working") {
      window.location.reload();
      return;
    }
    progress.max = status.total;
    progress.value = status.done;
    // A screen reader hears the progress in steps of a tenth, not at every poll.
    const step = Math.floor(status.percent / 10);
    if (step !== lastTold) {
      lastTold = step;
      text.textContent = text.dataset.format.replace("{done}", status.done).replace("{total}", status.total);
    }
  } catch (error) {
    // The next poll tries again; the "refresh" link works without this script.
  }
  window.setTimeout(ask, 2000);
}

if (box && progress && text) window.setTimeout(ask, 1000);

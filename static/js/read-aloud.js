// Reads the main content aloud with the browser's own speech synthesis (no data leaves the device).
// The button only appears where the browser can speak.
const button = document.querySelector("[data-read-aloud]");
if (button && "speechSynthesis" in window) {
  const label = button.textContent;
  const stopLabel = document.documentElement.lang === "en" ? "Stop reading" : "Stop voorlezen";
  button.hidden = false;
  button.addEventListener("click", () => {
    if (window.speechSynthesis.speaking) {
      window.speechSynthesis.cancel();
      button.textContent = label;
      return;
    }
    const main = document.getElementById("main");
    const utterance = new SpeechSynthesisUtterance(main ? main.innerText : document.body.innerText);
    utterance.lang = document.documentElement.lang === "en" ? "en-GB" : "nl-NL";
    utterance.addEventListener("end", () => { button.textContent = label; });
    button.textContent = stopLabel;
    window.speechSynthesis.speak(utterance);
  });
}

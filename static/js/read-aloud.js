// Reads the main content aloud with the browser's own speech synthesis (no data leaves the device), in the
// page's language and with a voice of that language when the device has one. Where the browser cannot speak
// (no speech synthesis, or no voice for the language), the button says so instead of doing nothing.
const button = document.querySelector("[data-read-aloud]");
const status = document.querySelector("[data-read-aloud-status]");

const pageLanguage = () => (document.documentElement.lang || "nl").toLowerCase();
const speechLanguage = () => (pageLanguage().startsWith("en") ? "en-GB" : "nl-NL");

function voiceFor(language) {
  const voices = window.speechSynthesis.getVoices();
  const base = language.slice(0, 2);
  return voices.find((voice) => voice.lang.toLowerCase() === language.toLowerCase())
    || voices.find((voice) => voice.lang.toLowerCase().startsWith(base));
}

function say(text) {
  if (!status) return;
  status.textContent = "";
  // A fresh text in the live region is read out even when it is the same sentence as before.
  window.setTimeout(() => { status.textContent = text; }, 50);
}

if (button) {
  const label = button.textContent.trim();
  const canSpeak = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
  button.addEventListener("click", () => {
    if (!canSpeak) {
      say(button.dataset.noVoice);
      return;
    }
    if (window.speechSynthesis.speaking) {
      window.speechSynthesis.cancel();
      button.textContent = label;
      return;
    }
    const language = speechLanguage();
    const voice = voiceFor(language);
    // Voices load late in some browsers: with none at all yet, try once more after they arrive.
    if (!voice && window.speechSynthesis.getVoices().length > 0) {
      say(button.dataset.noVoice);
      return;
    }
    const main = document.getElementById("main");
    const utterance = new SpeechSynthesisUtterance(main ? main.innerText : document.body.innerText);
    utterance.lang = language;
    if (voice) utterance.voice = voice;
    utterance.addEventListener("end", () => { button.textContent = label; });
    utterance.addEventListener("error", () => {
      button.textContent = label;
      say(button.dataset.noVoice);
    });
    button.textContent = button.dataset.stopLabel;
    window.speechSynthesis.speak(utterance);
  });
}

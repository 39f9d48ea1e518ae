// Reads the main content aloud with the browser's own speech synthesis (no data leaves the device), in the
// page's language and with a voice of that language when the device has one. Where the browser cannot speak
// (no speech synthesis, or no voice for the language), the button says so instead of doing nothing.
const button = document.querySelector("[data-read-aloud]");
const status = document.querySelector("[data-read-aloud-status]");

const speechLanguage = (lang) => ((lang || "nl").toLowerCase().startsWith("en") ? "en-GB" : "nl-NL");

// The text of ``root`` in runs of one language: a part marked lang="nl" on an English page (text not
// translated yet) is read with a Dutch voice, the rest with an English one.
function runsOf(root) {
  const runs = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      const parent = node.parentElement;
      if (!node.textContent.trim() || !parent || parent.closest("script, style, [hidden], [aria-hidden=true]")
          || !parent.getClientRects().length) return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const marked = node.parentElement.closest("[lang]");
    const language = speechLanguage(marked ? marked.lang : document.documentElement.lang);
    const text = node.textContent.replace(/\s+/g, " ").trim();
    const last = runs[runs.length - 1];
    if (last && last.language === language) last.text += ` ${text}`;
    else runs.push({ language, text });
  }
  return runs;
}

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
    const pageVoice = voiceFor(speechLanguage(document.documentElement.lang));
    // Voices load late in some browsers: with none at all yet, try once more after they arrive.
    if (!pageVoice && window.speechSynthesis.getVoices().length > 0) {
      say(button.dataset.noVoice);
      return;
    }
    const runs = runsOf(document.getElementById("main") || document.body);
    if (!runs.length) return;
    runs.forEach(({ language, text }, index) => {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = language;
      const voice = voiceFor(language);
      if (voice) utterance.voice = voice;
      if (index === runs.length - 1) utterance.addEventListener("end", () => { button.textContent = label; });
      utterance.addEventListener("error", () => {
        window.speechSynthesis.cancel();
        button.textContent = label;
        say(button.dataset.noVoice);
      });
      window.speechSynthesis.speak(utterance);
    });
    button.textContent = button.dataset.stopLabel;
  });
}

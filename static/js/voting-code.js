// The code page: a letter's QR code opens /stemcode/#<code>. The part after "#" never reaches the server (so the
// code is in no log); this fills it into the field and takes it out of the address bar and the history.
const field = document.querySelector("input[name=code]");
const fromLetter = decodeURIComponent(window.location.hash.slice(1)).replace(/[^0-9A-Za-z]/g, "");
if (field && fromLetter.length >= 20 && fromLetter.length <= 40) {
  if (!field.value) field.value = fromLetter.toUpperCase();
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  const button = field.form && field.form.querySelector("button[type=submit]");
  if (button) button.focus();
}

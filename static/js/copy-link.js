// "Kopieer de link": copies the text of the field a [data-copy] button names and says so in the
// polite live region beside it. Without JavaScript or a clipboard the button stays hidden and the
// link can still be selected by hand or sent with the links next to it.
for (const button of document.querySelectorAll("[data-copy]")) {
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(button.dataset.copyStatus);
  if (!field || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = button.dataset.copied;
    } catch {
      field.select();  // no permission: select it, so that the phone's own "copy" is one tap away
      if (status) status.textContent = button.dataset.notCopied;
    }
  });
}

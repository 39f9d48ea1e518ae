// On a phone the menu folds away behind one button, so the first screen shows the page, not the header.
// Without this script (or on a wide screen) the menu simply stays open: see static/css/samenlab.css.
const toggle = document.querySelector("[data-menu-toggle]");
const menu = document.querySelector("[data-menu]");

if (toggle && menu) {
  document.documentElement.classList.add("has-menu-script");
  const setOpen = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("site-menu--open", open);
  };
  toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
  // The unread count also shows on the button, so a folded menu still says something new arrived.
  const mirror = toggle.querySelector("[data-unread-mirror]");
  document.addEventListener("samenlab:unread", (event) => {
    if (!mirror) return;
    mirror.hidden = event.detail.count === 0;
    mirror.querySelector("[data-unread-number]").textContent = String(event.detail.count);
  });
}

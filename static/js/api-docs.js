// /api/docs/: Redoc from our own static files, fed the schema URL the page names (no inline script, no CDN).
(function () {
  var container = document.getElementById("redoc-container");
  if (!container || !window.Redoc) { return; }
  window.Redoc.init(container.getAttribute("data-schema-url"), {
    hideDownloadButton: false,
    // System fonts: nothing is fetched from a font service.
    theme: { typography: { fontFamily: "system-ui, sans-serif", headings: { fontFamily: "system-ui, sans-serif" } } }
  }, container);
})();
